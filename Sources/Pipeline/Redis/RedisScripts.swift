/// The Lua that makes Redis publishing atomic across processes: one call appends a batch.
///
/// For each event it checks the idempotency key (`pipeline:{stream}:key:{key}`, kept with
/// `PX window`), takes the next sequence from `pipeline:{stream}:seq` (one `INCRBY` per stream
/// and batch reserves the batch's sequences), and `XADD`s the
/// event to `pipeline:{stream}` with the explicit ID `0-{seq}` (so `XRANGE (0-N` and
/// `XREAD 0-N` resume exactly after sequence N) and the fields `seq`, `ts`, `subject`,
/// `payload` and, when given, `idempotency_key`. Length is trimmed with `MAXLEN ~`; age is
/// trimmed in the same call with `XTRIM MINID` once the oldest entry's `ts` is past the limit.
enum RedisScripts {
    /// ARGV: maxLength (0 = none), maxAgeMs (0 = none), windowMs, count, then per event:
    /// stream, subject, idempotency key ('' = none), payload. Returns one sequence per event.
    static let publishBatch = """
        local maxlen = ARGV[1]
        local maxage = tonumber(ARGV[2])
        local window = ARGV[3]
        local count = tonumber(ARGV[4])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local nowText = string.format('%d', now)
        local results = {}
        -- Pass 1: which events are new (a key seen before, in Redis or earlier in this batch,
        -- returns the first event's sequence), and how many each stream gets.
        local plan = {}
        local added = {}
        local batchKeys = {}
        local i = 5
        for n = 1, count do
          local streamKey = 'pipeline:' .. ARGV[i]
          local key = ARGV[i + 2]
          local entry = {streamKey, false, false}
          if key ~= '' then
            local keyKey = streamKey .. ':key:' .. key
            entry[2] = keyKey
            local first = batchKeys[keyKey]
            if first then
              entry[3] = first
            else
              local previous = redis.call('GET', keyKey)
              if previous then
                results[n] = tonumber(previous)
                entry[3] = 0
              else
                batchKeys[keyKey] = n
              end
            end
          end
          if not entry[3] then added[streamKey] = (added[streamKey] or 0) + 1 end
          plan[n] = entry
          i = i + 4
        end
        -- One INCRBY per stream reserves the batch's gap-free sequences.
        local last = {}
        for streamKey, newEvents in pairs(added) do
          last[streamKey] = redis.call('INCRBY', streamKey .. ':seq', newEvents) - newEvents
        end
        -- Pass 2: append the new events in order.
        i = 5
        for n = 1, count do
          local entry = plan[n]
          if entry[3] then
            if entry[3] > 0 then results[n] = results[entry[3]] end
          else
            local streamKey = entry[1]
            local seq = last[streamKey] + 1
            last[streamKey] = seq
            local seqText = string.format('%d', seq)
            local id = '0-' .. seqText
            local subject, payload = ARGV[i + 1], ARGV[i + 3]
            if maxlen ~= '0' then
              if entry[2] then
                redis.call('XADD', streamKey, 'MAXLEN', '~', maxlen, id, 'seq', seqText, 'ts', nowText, 'subject', subject, 'payload', payload, 'idempotency_key', ARGV[i + 2])
              else
                redis.call('XADD', streamKey, 'MAXLEN', '~', maxlen, id, 'seq', seqText, 'ts', nowText, 'subject', subject, 'payload', payload)
              end
            elseif entry[2] then
              redis.call('XADD', streamKey, id, 'seq', seqText, 'ts', nowText, 'subject', subject, 'payload', payload, 'idempotency_key', ARGV[i + 2])
            else
              redis.call('XADD', streamKey, id, 'seq', seqText, 'ts', nowText, 'subject', subject, 'payload', payload)
            end
            if entry[2] then redis.call('SET', entry[2], seqText, 'PX', window) end
            results[n] = seq
          end
          i = i + 4
        end
        if maxage > 0 then
          local cutoff = now - maxage
          for streamKey in pairs(added) do
            local first = redis.call('XRANGE', streamKey, '-', '+', 'COUNT', 1)
            if first[1] and tonumber(first[1][2][4]) < cutoff then
              for round = 1, 64 do
                local entries = redis.call('XRANGE', streamKey, '-', '+', 'COUNT', 128)
                if #entries == 0 then break end
                local keep = false
                for _, entry in ipairs(entries) do
                  if tonumber(entry[2][4]) >= cutoff then keep = entry[1] break end
                end
                if keep then
                  redis.call('XTRIM', streamKey, 'MINID', keep)
                  break
                end
                local last = entries[#entries][1]
                redis.call('XTRIM', streamKey, 'MINID', '0-' .. (tonumber(string.sub(last, 3)) + 1))
              end
            end
          end
        end
        return results
        """
}
