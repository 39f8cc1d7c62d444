// MARK: Orders and matching

extension MarketEngine {
    /// Places an order; returns it and whether it was an idempotent retry (nothing changed).
    mutating func placeOrder(_ place: PlaceOrder, events: inout [MarketEvent]) throws(EngineError) -> (OrderView, Bool) {
        // An idempotent retry returns the original order whatever has happened since.
        if let key = place.clientOrderId, let operatorIndex = operatorIndex[place.operatorId],
           let original = clientOrders[ClientOrderKey(operatorIndex: operatorIndex, clientOrderId: key)] {
            return (orderView(original), true)
        }

        // Validate everything before changing anything.
        guard !place.operatorId.isEmpty else { throw EngineError.invalidOrder.with(detail: "empty operatorId") }
        guard !place.playerId.isEmpty else { throw EngineError.invalidOrder.with(detail: "empty playerId") }
        if let key = place.clientOrderId, key.isEmpty {
            throw EngineError.invalidOrder.with(detail: "empty clientOrderId")
        }
        let marketIndex = try market(named: place.marketId)
        let outcomeIndex = try outcome(named: place.outcomeId, inMarket: marketIndex)
        let status = markets[marketIndex].status
        guard status == .open else { throw EngineError.marketNotOpen.with(detail: status.rawValue) }
        let tickRaw = markets[marketIndex].tickRaw
        let shares = place.shares.rawValue
        guard shares > 0, shares <= Self.maximumOrderShares.rawValue else { throw EngineError.invalidShares }
        var tick = 0
        switch place.type {
        case .limit:
            guard let price = place.price else { throw EngineError.invalidPrice.with(detail: "a LIMIT order needs a price") }
            guard price.rawValue > 0, price.rawValue < FixedDecimal.scale, price.rawValue % tickRaw == 0 else {
                throw EngineError.invalidPrice.with(detail: "\(price) with tick \(FixedDecimal(rawValue: tickRaw))")
            }
            tick = Int(price.rawValue / tickRaw)
        case .market:
            guard place.price == nil else { throw EngineError.invalidPrice.with(detail: "a MARKET order takes no price") }
        }
        let book = markets[marketIndex].firstBook + outcomeIndex
        let knownOperator = operatorIndex[place.operatorId]
        var knownPosition: Int?
        if let knownOperator, let existing = positionIndex[book: book, operatorIndex: knownOperator] {
            knownPosition = existing
            let held = positions[existing].shares.magnitude + UInt64(positions[existing].exposure)
            guard held + UInt64(shares) <= UInt64(Self.positionLimit.rawValue) else {
                throw EngineError.positionLimit
            }
        }
        // Order indices are stored as Int32 (see OrderRecord).
        guard orders.count < Int(Int32.max) else { throw EngineError.invalidOrder.with(detail: "order store is full") }

        // Accepted: register and match.
        let operatorIndex = knownOperator ?? register(operator: place.operatorId)
        let positionIndex = knownPosition ?? position(book: book, operatorIndex: operatorIndex)
        let order = orders.count
        if order == orders.capacity {
            // Grow four times over instead of doubling: the store is the engine's largest
            // array, and each doubling copies it and faults in its new pages.
            orders.reserveCapacity(max(4096, order * 4))
        }
        orders.append(OrderRecord(
            id: EngineID.order(order),
            book: book,
            operatorIndex: operatorIndex,
            position: positionIndex,
            side: place.side,
            type: place.type,
            status: .open,
            tick: tick,
            shares: shares,
            playerId: place.playerId
        ))
        ordersByOperator[operatorIndex].append(order)
        if let key = place.clientOrderId {
            clientOrders[ClientOrderKey(operatorIndex: operatorIndex, clientOrderId: key)] = order
        }

        let before = (books[book].bestBid, books[book].bestAsk, books[book].lastTick)
        touchedPositions.removeAll(keepingCapacity: true)
        var bookChanged = match(order, events: &events)

        let remaining = orders[order].remaining
        if remaining > 0 {
            if place.type == .limit {
                rest(order)
                positions[positionIndex].exposure += remaining
                bookChanged = true
            } else {
                orders[order].status = .cancelled
            }
        }
        let view = appendOrderUpdateReturningView(order, events: &events)
        for position in touchedPositions {
            appendPositionUpdate(position, events: &events)
        }
        if bookChanged {
            appendBookUpdate(book, events: &events)
        }
        if before != (books[book].bestBid, books[book].bestAsk, books[book].lastTick) || orders[order].filled > 0 {
            appendPriceUpdate(market: marketIndex, events: &events)
        }
        return (view, false)
    }

    /// Matches the incoming order against the opposite side while prices cross. Returns true
    /// when the book changed. Self-trade prevention: a resting order of the same operator is
    /// cancelled (with its ORDER_UPDATE) and matching goes on.
    private mutating func match(_ taker: Int, events: inout [MarketEvent]) -> Bool {
        let book = orders[taker].book
        let side = orders[taker].side
        let limitTick = orders[taker].type == .market ? (side == .buy ? Int.max : 0) : orders[taker].tick
        let takerOperator = orders[taker].operatorIndex
        let marketIndex = books[book].market
        let outcomeIndex = books[book].outcome
        let tickRaw = markets[marketIndex].tickRaw
        var changed = false
        while orders[taker].remaining > 0 {
            let tick: Int
            if side == .buy {
                tick = books[book].bestAsk
                guard tick <= books[book].maxTick, tick <= limitTick else { break }
            } else {
                tick = books[book].bestBid
                guard tick > 0, tick >= limitTick else { break }
            }
            let maker = side == .buy ? books[book].asks[tick].head : books[book].bids[tick].head
            changed = true
            if orders[maker].operatorIndex == takerOperator {
                unlink(order: maker)
                orders[maker].status = .cancelled
                positions[orders[maker].position].exposure -= orders[maker].remaining
                appendOrderUpdate(maker, events: &events)
                continue
            }
            let quantity = min(orders[taker].remaining, orders[maker].remaining)
            let priceRaw = Int64(tick) * tickRaw
            tradeCount += 1
            let tradeId = EngineID.trade(tradeCount)
            fill(taker, quantity: quantity, priceRaw: priceRaw, tradeId: tradeId)
            fill(maker, quantity: quantity, priceRaw: priceRaw, tradeId: tradeId)
            positions[orders[maker].position].exposure -= quantity
            if side == .buy {
                books[book].asks[tick].shares -= quantity
                books[book].asksChanged = true
            } else {
                books[book].bids[tick].shares -= quantity
                books[book].bidsChanged = true
            }
            if orders[maker].remaining == 0 {
                unlink(order: maker)
            }
            books[book].lastTick = tick
            books[book].volume.add(quantity, at: now)
            events.append(.trade(TradeEvent(
                marketId: markets[marketIndex].id,
                outcomeId: markets[marketIndex].outcomes[outcomeIndex].id,
                price: FixedDecimal(rawValue: priceRaw),
                shares: FixedDecimal(rawValue: quantity),
                side: side,
                timestamp: now
            )))
            appendOrderUpdate(maker, events: &events)
        }
        return changed
    }

    /// Books a fill on one side: order progress, then the owner's position by average cost.
    private mutating func fill(_ order: Int, quantity: Int64, priceRaw: Int64, tradeId: String) {
        orders[order].filled += quantity
        orders[order].fillNotional += Int128(quantity) * Int128(priceRaw)
        orders[order].lastTrade = tradeId
        orders[order].status = orders[order].remaining == 0 ? .filled : .partiallyFilled
        let position = orders[order].position
        let signed = orders[order].side == .buy ? quantity : -quantity
        Self.apply(fill: signed, priceRaw: priceRaw, to: &positions[position])
        if !touchedPositions.contains(position) {
            touchedPositions.append(position)
        }
    }

    /// Average-cost accounting of a signed fill (+ buy, − sell) at `priceRaw`.
    ///
    /// Adding to the position (or opening it) adds price × shares to the cost. Reducing it
    /// takes the closed fraction of the cost out (cost × closed / |shares|) and realises the
    /// closed shares' value at the fill price minus that cost share; the average price of what
    /// remains is unchanged. Crossing through zero closes everything, then opens the rest at
    /// the fill price.
    static func apply(fill signed: Int64, priceRaw: Int64, to position: inout PositionRecord) {
        let held = position.shares
        if held == 0 || (held > 0) == (signed > 0) {
            position.shares = held + signed
            position.totalCost += FixedDecimal.product(priceRaw, signed)
            return
        }
        let closing = min(signed.magnitude, held.magnitude)
        let closed = Int64(closing)
        let costRemoved = FixedDecimal.roundedQuotient(Int128(position.totalCost) * Int128(closed), Int128(held.magnitude)) ?? 0
        let value = FixedDecimal.product(priceRaw, held > 0 ? closed : -closed)
        position.realized = saturatingAdd(position.realized, value - costRemoved)
        position.totalCost -= costRemoved
        position.shares = held + (signed > 0 ? closed : -closed)
        let leftover = Int64(signed.magnitude - closing)
        if leftover > 0 {
            let opened = signed > 0 ? leftover : -leftover
            position.shares = opened
            position.totalCost = FixedDecimal.product(priceRaw, opened)
        }
    }

    /// Appends a resting order at the tail of its level.
    private mutating func rest(_ order: Int) {
        let book = orders[order].book
        let tick = orders[order].tick
        let remaining = orders[order].remaining
        if orders[order].side == .buy {
            let tail = books[book].bids[tick].tail
            orders[order].previous = tail
            if tail == PriceLevel.none { books[book].bids[tick].head = order } else { orders[tail].next = order }
            books[book].bids[tick].tail = order
            if books[book].bids[tick].orderCount == 0 { books[book].bidLevels += 1 }
            books[book].bids[tick].orderCount += 1
            books[book].bids[tick].shares += remaining
            if tick > books[book].bestBid { books[book].bestBid = tick }
            books[book].bidsChanged = true
        } else {
            let tail = books[book].asks[tick].tail
            orders[order].previous = tail
            if tail == PriceLevel.none { books[book].asks[tick].head = order } else { orders[tail].next = order }
            books[book].asks[tick].tail = order
            if books[book].asks[tick].orderCount == 0 { books[book].askLevels += 1 }
            books[book].asks[tick].orderCount += 1
            books[book].asks[tick].shares += remaining
            if tick < books[book].bestAsk { books[book].bestAsk = tick }
            books[book].asksChanged = true
        }
    }

    /// Takes a resting order out of its level (its remaining shares leave the aggregate) and
    /// moves the best price if that level emptied.
    mutating func unlink(order: Int) {
        let book = orders[order].book
        let tick = orders[order].tick
        let previous = orders[order].previous
        let next = orders[order].next
        let remaining = orders[order].remaining
        if orders[order].side == .buy {
            if previous == PriceLevel.none { books[book].bids[tick].head = next } else { orders[previous].next = next }
            if next == PriceLevel.none { books[book].bids[tick].tail = previous } else { orders[next].previous = previous }
            books[book].bids[tick].orderCount -= 1
            books[book].bids[tick].shares -= remaining
            books[book].bidsChanged = true
            if books[book].bids[tick].orderCount == 0 {
                books[book].bidLevels -= 1
                if tick == books[book].bestBid { books[book].refreshBestBid() }
            }
        } else {
            if previous == PriceLevel.none { books[book].asks[tick].head = next } else { orders[previous].next = next }
            if next == PriceLevel.none { books[book].asks[tick].tail = previous } else { orders[next].previous = previous }
            books[book].asks[tick].orderCount -= 1
            books[book].asks[tick].shares -= remaining
            books[book].asksChanged = true
            if books[book].asks[tick].orderCount == 0 {
                books[book].askLevels -= 1
                if tick == books[book].bestAsk { books[book].refreshBestAsk() }
            }
        }
        orders[order].previous = PriceLevel.none
        orders[order].next = PriceLevel.none
    }

    /// Validates and cancels a resting order of its owner.
    mutating func cancelOrder(_ cancel: CancelOrder, events: inout [MarketEvent]) throws(EngineError) -> OrderView {
        guard let order = orderIndex(of: cancel.orderId) else { throw EngineError.unknownOrder.with(detail: cancel.orderId) }
        guard operatorIndex.ids[orders[order].operatorIndex] == cancel.operatorId else { throw EngineError.notOrderOwner }
        guard orders[order].status.isOpen else {
            throw EngineError.orderNotOpen.with(detail: orders[order].status.rawValue)
        }
        let book = orders[order].book
        let marketIndex = books[book].market
        let before = (books[book].bestBid, books[book].bestAsk)
        unlink(order: order)
        orders[order].status = .cancelled
        positions[orders[order].position].exposure -= orders[order].remaining
        let view = appendOrderUpdateReturningView(order, events: &events)
        appendBookUpdate(book, events: &events)
        if before != (books[book].bestBid, books[book].bestAsk) {
            appendPriceUpdate(market: marketIndex, events: &events)
        }
        return view
    }
}
