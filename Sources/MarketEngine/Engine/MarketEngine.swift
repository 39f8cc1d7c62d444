/// The prediction-market engine: markets, one price-time-priority book per outcome,
/// positions, and the events each command produces.
///
/// Deterministic and single-threaded: the same accepted commands at the same timestamps give
/// the same state, ids and events, which is how the service rebuilds it from its journal.
/// Every command is validated completely before anything changes, so a refused command
/// leaves the engine exactly as it was. Wrap it in one actor (or one thread); it is a value
/// type, so a copy is an independent snapshot.
public struct MarketEngine: Sendable {
    /// Largest share count of one order (10^9).
    public static let maximumOrderShares: FixedDecimal = 1_000_000_000
    /// Largest |position| + resting shares one operator may hold in one outcome (10^12); it
    /// keeps every amount far inside ``FixedDecimal``'s range.
    public static let positionLimit: FixedDecimal = 1_000_000_000_000
    /// Tick of markets that do not choose one.
    public static let defaultTickSize: FixedDecimal = "0.01"
    /// Smallest tick a market may choose.
    public static let minimumTickSize: FixedDecimal = "0.0001"

    /// Source of command timestamps (ms); replay uses the journaled ones instead.
    let clock: @Sendable () -> Int64
    /// Levels per side carried by ORDERBOOK_UPDATE.
    public let bookDepth: Int

    /// Markets in creation order; a market's index never changes.
    var markets: [MarketRecord] = []
    /// Market index by id.
    var marketIndex = IdTable()
    /// One book per outcome, markets' outcomes contiguous.
    var books: [OutcomeBook] = []
    /// Per book, the bid levels ORDERBOOK_UPDATE last carried (``bookDepth`` deep): reused
    /// while the bids are unchanged, and rewritten in the same storage once the events that
    /// shared it are gone, so most book updates allocate nothing. Kept apart from `books` so
    /// they can be rewritten while the book's levels are read.
    var publishedBids: [[BookLevel]] = []
    /// Per book, the ask levels ORDERBOOK_UPDATE last carried.
    var publishedAsks: [[BookLevel]] = []
    /// Every order ever accepted; index + 1 is the number in its id.
    var orders: [OrderRecord] = []
    /// Every position, in creation order.
    var positions: [PositionRecord] = []
    /// Position index by book and operator.
    var positionIndex = PositionTable()
    /// Operators in order of first appearance (`operatorIndex.ids`): ids are interned so
    /// matching compares integers.
    var operatorIndex = IdTable()
    /// Orders of each operator, oldest first.
    var ordersByOperator: [[Int]] = []
    /// Order index by idempotency key.
    var clientOrders: [ClientOrderKey: Int] = [:]
    /// Trades executed so far (the last `txn-<n>` number).
    public internal(set) var tradeCount = 0
    /// Sequence number the next accepted command will get.
    public private(set) var nextSequence: UInt64 = 1

    // Per-command scratch, kept to reuse its storage.
    /// Timestamp of the command being applied.
    var now: Int64 = 0
    /// Positions changed by the current command, in order of first change.
    var touchedPositions: [Int] = []

    /// Default of ``bookDepth``: enough for any order-entry screen, and it bounds the size
    /// of the most frequent public event whatever the book holds.
    public static let defaultBookDepth = 25

    /// An empty engine reading time (ms since the epoch) from `clock`; ORDERBOOK_UPDATE
    /// events carry the best `bookDepth` levels of each side (at least 1).
    public init(clock: @escaping @Sendable () -> Int64, bookDepth: Int = MarketEngine.defaultBookDepth) {
        self.clock = clock
        self.bookDepth = max(1, bookDepth)
    }

    /// Validates and applies `command` at the clock's time.
    public mutating func apply(_ command: EngineCommand) throws(EngineError) -> CommandOutcome {
        var events: [MarketEvent] = []
        let (result, entry) = try apply(command, appendingEventsTo: &events)
        return CommandOutcome(result: result, entry: entry, events: events)
    }

    /// Validates and applies `command` at the clock's time, appending its events to `events`
    /// (reuse the array on hot paths). Returns the response and the entry to journal (`nil`
    /// for an idempotent retry, which changes nothing).
    public mutating func apply(
        _ command: consuming EngineCommand,
        appendingEventsTo events: inout [MarketEvent]
    ) throws(EngineError) -> (result: CommandResult, entry: JournalEntry?) {
        try run(command, at: clock(), events: &events)
    }

    /// Re-applies a journaled command at its recorded time; the entry must carry
    /// ``nextSequence``.
    public mutating func replay(_ entry: JournalEntry) throws(EngineError) -> CommandOutcome {
        guard entry.sequence == nextSequence else {
            throw EngineError.journalOutOfOrder.with(detail: "expected \(nextSequence), got \(entry.sequence)")
        }
        var events: [MarketEvent] = []
        let (result, _) = try run(entry.command, at: entry.timestamp, events: &events)
        return CommandOutcome(result: result, entry: entry, events: events)
    }

    /// An engine rebuilt from journal lines (as written by ``JournalEntry/jsonLine()``);
    /// empty lines are skipped.
    public static func rebuild(
        fromJournal lines: some Sequence<String>,
        clock: @escaping @Sendable () -> Int64,
        bookDepth: Int = MarketEngine.defaultBookDepth
    ) throws -> MarketEngine {
        var engine = MarketEngine(clock: clock, bookDepth: bookDepth)
        for line in lines where !line.allSatisfy(\.isWhitespace) {
            _ = try engine.replay(JournalEntry(jsonLine: line))
        }
        return engine
    }

    private mutating func run(
        _ command: consuming EngineCommand,
        at time: Int64,
        events: inout [MarketEvent]
    ) throws(EngineError) -> (result: CommandResult, entry: JournalEntry?) {
        now = time
        let result: CommandResult
        switch command {
        case .createMarket(let create):
            result = .market(try createMarket(create, events: &events))
        case .changeMarketStatus(let change):
            result = .market(try changeStatus(change, events: &events))
        case .placeOrder(let place):
            let (order, isRetry) = try placeOrder(place, events: &events)
            if isRetry { return (.order(order), nil) }
            result = .order(order)
        case .cancelOrder(let cancel):
            result = .order(try cancelOrder(cancel, events: &events))
        }
        let entry = JournalEntry(sequence: nextSequence, timestamp: time, command: command)
        nextSequence += 1
        return (result, entry)
    }

    // MARK: Lookups shared by the commands

    /// Market index of an id, or `unknown_market`.
    @inline(__always)
    func market(named id: String) throws(EngineError) -> Int {
        guard let index = marketIndex[id] else { throw EngineError.unknownMarket.with(detail: id) }
        return index
    }

    /// Outcome index of an id within a market, or `unknown_outcome`.
    @inline(__always)
    func outcome(named id: String, inMarket market: Int) throws(EngineError) -> Int {
        let count = markets[market].outcomes.count
        for index in 0..<count where markets[market].outcomes[index].id == id {
            return index
        }
        throw EngineError.unknownOutcome.with(detail: id)
    }

    /// Order index from an `ord-<n>` id; `nil` when malformed or unknown.
    @inline(__always)
    func orderIndex(of id: String) -> Int? {
        // Ids are exactly what EngineID.order writes: "ord-", then digits without a leading zero.
        let parsed = id.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard bytes.count > 4, bytes.count <= 22, bytes[0] == UInt8(ascii: "o"), bytes[1] == UInt8(ascii: "r"),
                  bytes[2] == UInt8(ascii: "d"), bytes[3] == UInt8(ascii: "-"), bytes[4] != UInt8(ascii: "0") else {
                return nil
            }
            var number = 0
            for byte in bytes[4...] {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                number = number * 10 + Int(digit)
            }
            return number
        }
        guard let parsed else {
            // Not contiguous UTF-8 (a bridged string): the same check through String.
            guard id.hasPrefix("ord-"), let number = Int(id.dropFirst(4)), number >= 1, number <= orders.count,
                  EngineID.order(number - 1) == id else {
                return nil
            }
            return number - 1
        }
        guard let number = parsed, number <= orders.count else { return nil }
        return number - 1
    }

    /// The operator's index, registering it on first use.
    mutating func register(operator id: String) -> Int {
        if let index = operatorIndex[id] { return index }
        ordersByOperator.append([])
        return operatorIndex.insert(id)
    }

    /// The position of an operator in a book, created flat on first use.
    mutating func position(book: Int, operatorIndex: Int) -> Int {
        if let index = positionIndex[book: book, operatorIndex: operatorIndex] { return index }
        let index = positions.count
        positions.append(PositionRecord(id: EngineID.position(index), book: book, operatorIndex: operatorIndex))
        positionIndex.insert(book: book, operatorIndex: operatorIndex, position: index)
        markets[books[book].market].positions.append(index)
        return index
    }
}
