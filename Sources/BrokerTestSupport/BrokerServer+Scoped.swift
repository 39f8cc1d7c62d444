/// Runs `body` with a fresh `redis-server`, stopping it afterwards even when `body` throws.
public func withRedisServer<T>(appendOnly: Bool = true, _ body: (BrokerServer) async throws -> T) async throws -> T {
    let server = try await BrokerServer.startRedis(appendOnly: appendOnly)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Runs `body` with a fresh `nats-server -js`, stopping it afterwards even when `body` throws.
public func withNatsServer<T>(_ body: (BrokerServer) async throws -> T) async throws -> T {
    let server = try await BrokerServer.startNats()
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
