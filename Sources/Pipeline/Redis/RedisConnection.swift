import CHiredis

/// One blocking hiredis connection. Not thread-safe: each owner (the publisher thread, one
/// subscription thread, one replay call) uses its own, never from a SwiftNIO event loop or the
/// Swift cooperative pool.
final class RedisConnection: @unchecked Sendable {
    /// Why a command or the connection failed.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// True when the socket is gone and the connection must be replaced.
        let connectionLost: Bool
    }

    private let context: UnsafeMutablePointer<redisContext>

    /// Connects, selects the database and authenticates; throws on any failure.
    init(url: RedisURL, timeoutMilliseconds: Int) throws(Failure) {
        guard let context = c_hiredis_connect(url.host, Int32(url.port), timeoutMilliseconds) else {
            throw Failure(description: "cannot allocate a hiredis context", connectionLost: true)
        }
        if context.pointee.err != 0 {
            let message = Self.errorText(context)
            redisFree(context)
            throw Failure(description: "cannot connect to \(url): \(message)", connectionLost: true)
        }
        self.context = context
        _ = c_hiredis_set_timeout(context, timeoutMilliseconds)
        if let password = url.password {
            let arguments = url.user.map { ["AUTH", $0, password] } ?? ["AUTH", password]
            if case .error(let message) = try command(arguments.map { Array($0.utf8) }) {
                throw Failure(description: "AUTH refused: \(message)", connectionLost: true)
            }
        }
        if url.database != 0 {
            if case .error(let message) = try command(["SELECT", String(url.database)].map { Array($0.utf8) }) {
                throw Failure(description: "SELECT \(url.database) refused: \(message)", connectionLost: true)
            }
        }
    }

    deinit { redisFree(context) }

    /// Changes the socket read/write timeout (blocking reads need more than their BLOCK time).
    func setTimeout(milliseconds: Int) {
        _ = c_hiredis_set_timeout(context, milliseconds)
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
    }

    /// Sends one command and waits for its reply.
    func command(_ arguments: [[UInt8]]) throws(Failure) -> RedisValue {
        try append(arguments)
        return try readReply()
    }

    /// Queues a command without waiting (pipelining); read its reply later with ``readReply()``.
    func append(_ arguments: [[UInt8]]) throws(Failure) {
        var blob: [UInt8] = []
        blob.reserveCapacity(arguments.reduce(0) { $0 + $1.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(blob.count)
            lengths.append(argument.count)
            blob.append(contentsOf: argument)
        }
        blob.append(0)
        let status = blob.withUnsafeBufferPointer { base -> Int32 in
            var pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                UnsafeRawPointer(base.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { argvlen in
                    c_hiredis_append_argv(context, Int32(arguments.count), argv.baseAddress, argvlen.baseAddress)
                }
            }
        }
        if status != REDIS_OK {
            throw Failure(description: "hiredis: \(Self.errorText(context))", connectionLost: true)
        }
    }

    /// Queues an already RESP-encoded command (see ``RESPCommand``).
    func append(encoded command: [UInt8]) throws(Failure) {
        let status = command.withUnsafeBufferPointer { buffer in
            redisAppendFormattedCommand(context, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), buffer.count)
        }
        if status != REDIS_OK {
            throw Failure(description: "hiredis: \(Self.errorText(context))", connectionLost: true)
        }
    }

    /// Reads the next reply (flushing queued commands first).
    func readReply() throws(Failure) -> RedisValue {
        guard let reply = c_hiredis_get_reply(context) else {
            throw Failure(description: "hiredis: \(Self.errorText(context))", connectionLost: true)
        }
        defer { freeReplyObject(reply) }
        return Self.convert(reply)
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING:
            guard let str = value.str else { return .string([]) }
            return .string(Array(UnsafeRawBufferPointer(start: str, count: Int(value.len))))
        case REDIS_REPLY_STATUS:
            return .status(value.str.map { String(cString: $0) } ?? "")
        case REDIS_REPLY_ERROR:
            return .error(value.str.map { String(cString: $0) } ?? "error")
        case REDIS_REPLY_INTEGER:
            return .integer(value.integer)
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(Int(value.elements))
            for index in 0..<Int(value.elements) {
                if let element = value.element[index] { elements.append(convert(element)) }
            }
            return .array(elements)
        default:
            return .null
        }
    }
}
