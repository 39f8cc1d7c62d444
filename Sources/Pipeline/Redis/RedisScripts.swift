/// The Lua that makes Redis publishing atomic across processes: one call appends a batch.
///
/// For each event it checks the idempotency key (`pipeline:{stream}:key:{key}`, kept with
/// `PX window`), takes the next sequence with `INCR pipeline:{stream}:seq`, and `XADD`s the
/// event to `pipeline:{stream}` with the explicit ID `0-{seq}` (so `XRANGE (0-N` and
/// `XREAD 0-N` resume exactly after sequence N) and the fields `seq`, `ts`, `subject`,
/// `payload` and, when given, `idempotency_key`. Length is trimmed with `MAXLEN ~`; age is
/// trimmed in the same call with `XTRIM MINID` once the oldest entry's `ts` is past the limit.
enum RedisScripts {
    /// ARGV: maxLength (0 = none), maxAgeMs (0 = none), windowMs, count, then per event:
    /// stream, subject, idempotency key ('' = none), payload. Returns one sequence per event.
    static let publishBatch = """
        local maxlen = tonumber(ARGV[1])
        local maxage = tonumber(ARGV[2])
        local window = tonumber(ARGV[3])
        local count = tonumber(ARGV[4])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local results = {}
        local touched = {}
        local i = 5
        for n = 1, count do
          local stream, subject, key, payload = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
          i = i + 4
          local streamKey = 'pipeline:' .. stream
          local seq = false
          local keyKey = false
          if key ~= '' then
            keyKey = streamKey .. ':key:' .. key
            local previous = redis.call('GET', keyKey)
            if previous then seq = tonumber(previous) end
          end
          if not seq then
            seq = redis.call('INCR', streamKey .. ':seq')
            local id = '0-' .. seq
            if maxlen > 0 then
              if keyKey then
                redis.call('XADD', streamKey, 'MAXLEN', '~', maxlen, id, 'seq', seq, 'ts', now, 'subject', subject, 'payload', payload, 'idempotency_key', key)
              else
                redis.call('XADD', streamKey, 'MAXLEN', '~', maxlen, id, 'seq', seq, 'ts', now, 'subject', subject, 'payload', payload)
              end
            elseif keyKey then
              redis.call('XADD', streamKey, id, 'seq', seq, 'ts', now, 'subject', subject, 'payload', payload, 'idempotency_key', key)
            else
              redis.call('XADD', streamKey, id, 'seq', seq, 'ts', now, 'subject', subject, 'payload', payload)
            end
            if keyKey then redis.call('SET', keyKey, seq, 'PX', window) end
            touched[streamKey] = true
          end
          results[n] = seq
        end
        if maxage > 0 then
          local cutoff = now - maxage
          for streamKey in pairs(touched) do
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
