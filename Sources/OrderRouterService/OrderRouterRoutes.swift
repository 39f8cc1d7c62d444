import Foundation
import HTTPCore
import HTTPTypes
import Hummingbird
import Logging
import MarketEngine
import Metrics

/// The REST endpoints: markets (admin writes, operator reads), orders, positions, books.
struct OrderRouterRoutes: Sendable {
    let core: MatchingCore
    let authenticator: OperatorAuthenticator
    let adminToken: String
    let maxBodyBytes: Int
    /// Most orders one `POST /orders/batch` may carry.
    let maxBatchOrders: Int

    private static let ordersAccepted = Counter(label: "order_router_orders_accepted_total")
    private static let ordersRetried = Counter(label: "order_router_orders_idempotent_total")
    private static let ordersRejected = Counter(label: "order_router_orders_rejected_total")
    private static let cancels = Counter(label: "order_router_cancels_total")
    private static let orderTimer = Metrics.Timer(label: "order_router_order_seconds")
    private static let batches = Counter(label: "order_router_order_batches_total")
    private static let batchTimer = Metrics.Timer(label: "order_router_order_batch_seconds")

    func add(to router: Router<BasicRequestContext>) {
        let admin = router.group("markets").add(middleware: ServiceTokenMiddleware(tokens: [adminToken], realm: "order-router.admin"))
        admin.post(use: createMarket)
        admin.post(":marketId/status", use: changeStatus)

        router.get("markets", use: listMarkets)
        router.get("markets/:marketId", use: getMarket)
        router.get("markets/:marketId/prices", use: getPrices)
        router.get("markets/:marketId/outcomes/:outcomeId/book", use: getBook)
        router.post("orders", use: placeOrder)
        router.post("orders/batch", use: placeOrders)
        router.get("orders", use: listOrders)
        router.get("orders/:orderId", use: getOrder)
        router.delete("orders/:orderId", use: cancelOrder)
        router.get("positions", use: listPositions)
    }

    // MARK: Markets

    @Sendable func createMarket(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: CreateMarketRequest.self, limit: maxBodyBytes)
        let marketId = body.marketId ?? "mkt-\(UUID().uuidString.lowercased())"
        let tick: FixedDecimal?
        do { tick = try body.tickSize?.value(field: "tickSize") } catch { throw OrderRouterErrors.from(error) }
        let create = body.outcomes.map { CreateMarket(marketId: marketId, title: body.title, outcomes: $0, tickSize: tick) }
            ?? .binary(marketId: marketId, title: body.title, tickSize: tick)
        let receipt = try await execute(.createMarket(create))
        context.logger.info("market created", metadata: ["market.id": "\(marketId)"])
        return try marketResponse(receipt.result, status: .created)
    }

    @Sendable func changeStatus(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let marketId = try context.parameters.require("marketId")
        let body = try await request.decodeJSON(as: ChangeStatusRequest.self, limit: maxBodyBytes)
        guard let status = MarketStatus(rawValue: body.status.uppercased()) else {
            throw APIError.unprocessable("status must be OPEN, SUSPENDED, CLOSED or RESOLVED", code: "invalid_status")
        }
        let receipt = try await execute(.changeMarketStatus(ChangeMarketStatus(marketId: marketId, status: status, winningOutcomeId: body.winningOutcomeId)))
        context.logger.info("market status changed", metadata: ["market.id": "\(marketId)", "market.status": "\(status.rawValue)"])
        return try marketResponse(receipt.result, status: .ok)
    }

    @Sendable func listMarkets(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try authenticator.requireReader(request)
        let markets = await core.read { $0.allMarkets }
        return try Response.json(["markets": markets])
    }

    @Sendable func getMarket(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try authenticator.requireReader(request)
        let marketId = try context.parameters.require("marketId")
        guard let market = await core.read({ $0.market(id: marketId) }) else {
            throw OrderRouterErrors.from(EngineError.unknownMarket.with(detail: marketId))
        }
        return try Response.json(market)
    }

    @Sendable func getPrices(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try authenticator.requireReader(request)
        let marketId = try context.parameters.require("marketId")
        let now = Self.nowMilliseconds()
        let prices: [OutcomePrice]
        do {
            prices = try await core.read { engine throws(EngineError) in try engine.prices(marketId: marketId, at: now) }
        } catch let error as EngineError {
            throw OrderRouterErrors.from(error)
        }
        var out = Array(#"{"marketId":"#.utf8)
        JSONText.appendString(marketId, to: &out)
        out.append(contentsOf: #","prices":["#.utf8)
        let encoder = EventJSONEncoder()
        for (index, price) in prices.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            encoder.write(price, into: &out)
        }
        out.append(contentsOf: #"],"timestamp":\#(now)}"#.utf8)
        return Response.json(bytes: out)
    }

    @Sendable func getBook(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try authenticator.requireReader(request)
        let marketId = try context.parameters.require("marketId")
        let outcomeId = try context.parameters.require("outcomeId")
        let book: OrderBookView
        do {
            book = try await core.read { engine throws(EngineError) in try engine.orderBook(marketId: marketId, outcomeId: outcomeId) }
        } catch let error as EngineError {
            throw OrderRouterErrors.from(error)
        }
        var out: [UInt8] = []
        EventJSONEncoder().write(book, into: &out)
        return Response.json(bytes: out)
    }

    // MARK: Orders

    @Sendable func placeOrder(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let start = ContinuousClock.now
        let operatorId = try authenticator.operatorId(of: request)
        let body = try await request.decodeJSON(as: PlaceOrderRequest.self, limit: maxBodyBytes, fast: PlaceOrderRequest.init(flat:))
        let command: PlaceOrder
        do {
            command = try body.command(operatorId: operatorId)
        } catch {
            Self.ordersRejected.increment()
            throw OrderRouterErrors.from(error)
        }
        let receipt: CommandReceipt
        do {
            receipt = try await execute(.placeOrder(command))
        } catch {
            Self.ordersRejected.increment()
            throw error
        }
        if receipt.isNew { Self.ordersAccepted.increment() } else { Self.ordersRetried.increment() }
        Self.orderTimer.recordNanoseconds((ContinuousClock.now - start).nanosecondsApproximation)
        return orderResponse(receipt.result, status: receipt.isNew ? .created : .ok)
    }

    /// `POST /orders/batch`: up to ``maxBatchOrders`` orders of one operator, applied one
    /// after the other with nothing in between and answered together once durable. Each order
    /// is placed or refused on its own; the answer is 200 with one result per order, in order.
    /// A body that is not `{"orders":[...]}` of well-formed orders is refused whole (400).
    @Sendable func placeOrders(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let start = ContinuousClock.now
        let operatorId = try authenticator.operatorId(of: request)
        let body = try await request.decodeJSON(as: PlaceOrdersRequest.self, limit: maxBodyBytes, fastFromBytes: PlaceOrdersRequest.init(bytes:))
        guard !body.orders.isEmpty else {
            throw APIError.unprocessable("orders is empty; send 1 to \(maxBatchOrders) orders", code: "empty_batch")
        }
        guard body.orders.count <= maxBatchOrders else {
            Self.ordersRejected.increment(by: body.orders.count)
            throw APIError.unprocessable("\(body.orders.count) orders; a batch takes at most \(maxBatchOrders)", code: "batch_too_large")
        }
        // Orders whose fields are refused never reach the engine; the others go in one call.
        let prepared = body.orders.map { order in
            Result { () throws(EngineError) in EngineCommand.placeOrder(try order.command(operatorId: operatorId)) }
        }
        let commands = prepared.compactMap { try? $0.get() }
        let applied: [Result<CommandReceipt, EngineError>]
        do {
            applied = commands.isEmpty ? [] : try await core.execute(batch: commands)
        } catch {
            // 503: the journal failed or the event backlog is full; no order was placed.
            Self.ordersRejected.increment(by: body.orders.count)
            throw error
        }
        // The engine answers the prepared orders in order, one result each.
        var engineResults = applied.makeIterator()
        let results = prepared.map { $0.flatMap { _ in engineResults.next()! } }
        var out = Array(#"{"results":["#.utf8)
        out.reserveCapacity(body.orders.count * 400)
        let encoder = EventJSONEncoder()
        for (index, result) in results.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            switch result {
            case .success(let receipt):
                if receipt.isNew { Self.ordersAccepted.increment() } else { Self.ordersRetried.increment() }
                out.append(contentsOf: receipt.isNew ? #"{"status":201,"order":"#.utf8 : #"{"status":200,"order":"#.utf8)
                if case .order(let order) = receipt.result { encoder.write(order, into: &out) } else { out.append(contentsOf: "null".utf8) }
                out.append(UInt8(ascii: "}"))
            case .failure(let error):
                Self.ordersRejected.increment()
                // `{"status":422,` then the error body `POST /orders` would answer, without its `{`.
                let refusal = OrderRouterErrors.from(error)
                out.append(contentsOf: #"{"status":"#.utf8)
                out.append(contentsOf: String(refusal.status.code).utf8)
                out.append(UInt8(ascii: ","))
                out.append(contentsOf: refusal.body.dropFirst())
            }
        }
        out.append(contentsOf: "]}".utf8)
        Self.batches.increment()
        Self.batchTimer.recordNanoseconds((ContinuousClock.now - start).nanosecondsApproximation)
        return Response.json(bytes: out)
    }

    @Sendable func cancelOrder(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let operatorId = try authenticator.operatorId(of: request)
        let orderId = try context.parameters.require("orderId")
        let receipt = try await execute(.cancelOrder(CancelOrder(orderId: orderId, operatorId: operatorId)))
        Self.cancels.increment()
        return orderResponse(receipt.result, status: .ok)
    }

    @Sendable func getOrder(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let operatorId = try authenticator.operatorId(of: request)
        let orderId = try context.parameters.require("orderId")
        // Another operator's order is reported as unknown: ids are not secrets, but their
        // content is.
        guard let order = await core.read({ $0.order(id: orderId) }), order.operatorId == operatorId else {
            throw OrderRouterErrors.from(EngineError.unknownOrder.with(detail: orderId))
        }
        return orderResponse(.order(order), status: .ok)
    }

    @Sendable func listOrders(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let operatorId = try authenticator.operatorId(of: request)
        let marketId = request.uri.queryParameters.get("marketId")
        let openOnly = request.uri.queryParameters.get("status").map { $0.lowercased() == "open" } ?? false
        let orders = await core.read { $0.orders(operatorId: operatorId, marketId: marketId, openOnly: openOnly) }
        var out = Array(#"{"orders":["#.utf8)
        let encoder = EventJSONEncoder()
        for (index, order) in orders.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            encoder.write(order, into: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return Response.json(bytes: out)
    }

    @Sendable func listPositions(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let operatorId = try authenticator.operatorId(of: request)
        let marketId = request.uri.queryParameters.get("marketId")
        let positions = await core.read { $0.positions(operatorId: operatorId, marketId: marketId) }
        var out = Array(#"{"positions":["#.utf8)
        let encoder = EventJSONEncoder()
        for (index, position) in positions.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            encoder.write(position, into: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return Response.json(bytes: out)
    }

    // MARK: Helpers

    private func execute(_ command: EngineCommand) async throws -> CommandReceipt {
        do {
            return try await core.execute(command)
        } catch let error as EngineError {
            throw OrderRouterErrors.from(error)
        }
    }

    private func orderResponse(_ result: CommandResult, status: HTTPResponse.Status) -> Response {
        guard case .order(let order) = result else { return Response(status: .internalServerError) }
        var out: [UInt8] = []
        out.reserveCapacity(384)
        EventJSONEncoder().write(order, into: &out)
        return Response.json(bytes: out, status: status)
    }

    private func marketResponse(_ result: CommandResult, status: HTTPResponse.Status) throws -> Response {
        guard case .market(let market) = result else { return Response(status: .internalServerError) }
        return try Response.json(market, status: status)
    }

    static func nowMilliseconds() -> Int64 {
        OrderRouterApplication.wallClockMilliseconds()
    }
}
