import CNats
import Foundation
import Logging

/// One nats.c connection with its JetStream context, shared by the publisher and every
/// subscription of a ``NatsJetStreamPipeline``. nats.c reconnects by itself (forever, with
/// backoff); a first connection that fails keeps retrying in the background.
final class NatsClient: @unchecked Sendable {
    /// A nats.c call that failed.
    struct Failure: Error, CustomStringConvertible {
        let description: String

        /// A failed call with its nats.c status and JetStream error code.
        init(_ what: String, _ status: natsStatus, _ code: jsErrCode = jsErrCode(rawValue: 0)) {
            let text = natsStatus_GetText(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
            description = code.rawValue == 0 ? "\(what): \(text)" : "\(what): \(text) (JetStream error \(code.rawValue))"
        }

        /// A failure described in words.
        init(message: String) { description = message }
    }

    /// A stored event as a consumer delivered it: its consumer sequence, and how many the
    /// consumer still holds after it.
    typealias Delivery = (event: PipelineEvent, consumerSequence: UInt64, pending: UInt64)

    let connection: OpaquePointer
    let jetStream: OpaquePointer
    private let retention: PipelineRetention
    private let apiWaitMilliseconds: Int64
    private let ensuredLock = NSLock()
    private var ensured: Set<String> = []

    /// Connects (or starts retrying in the background). Throws only for a refused configuration.
    init(url: NatsURL, retention: PipelineRetention, apiWait: Duration,
         ackHandler: jsPubAckHandler, ackClosure: UnsafeMutableRawPointer) throws(Failure) {
        self.retention = retention
        self.apiWaitMilliseconds = max(100, apiWait.milliseconds)
        var options: OpaquePointer?
        var status = natsOptions_Create(&options)
        guard status == NATS_OK, let options else { throw Failure("natsOptions_Create", status) }
        defer { natsOptions_Destroy(options) }
        status = natsOptions_SetURL(options, url.connectURL)
        guard status == NATS_OK else { throw Failure("invalid NATS URL \(url)", status) }
        _ = natsOptions_SetTimeout(options, 2000)
        _ = natsOptions_SetAllowReconnect(options, true)
        _ = natsOptions_SetMaxReconnect(options, -1)
        _ = natsOptions_SetReconnectWait(options, 100)
        _ = natsOptions_SetReconnectJitter(options, 50, 50)
        _ = natsOptions_SetPingInterval(options, 2000)
        _ = natsOptions_SetMaxPingsOut(options, 2)
        _ = natsOptions_SetReconnectBufSize(options, 32 * 1024 * 1024)

        // With a connected callback, a first connect that fails returns NATS_NOT_YET_CONNECTED
        // at once and keeps trying in the background (without one it would block forever).
        _ = natsOptions_SetRetryOnFailedConnect(options, true, { _, _ in }, nil)
        var connection: OpaquePointer?
        status = natsConnection_Connect(&connection, options)
        guard status == NATS_OK || status == NATS_NOT_YET_CONNECTED, let connection else {
            throw Failure("cannot create the NATS connection to \(url)", status)
        }
        var jsOptions = jsOptions()
        jsOptions_Init(&jsOptions)
        jsOptions.Wait = apiWaitMilliseconds
        jsOptions.PublishAsync.AckHandler = ackHandler
        jsOptions.PublishAsync.AckHandlerClosure = ackClosure
        jsOptions.PublishAsync.MaxPending = 65_536
        jsOptions.PublishAsync.StallWait = 200
        var jetStream: OpaquePointer?
        status = natsConnection_JetStream(&jetStream, connection, &jsOptions)
        guard status == NATS_OK, let jetStream else {
            natsConnection_Destroy(connection)
            throw Failure("cannot create the JetStream context", status)
        }
        self.connection = connection
        self.jetStream = jetStream
    }

    /// Writes buffered publishes now and waits for the server's PONG. nats.c's own flusher waits
    /// 1 ms to gather more data, which would cap a lone sequential publisher near 1 000 events/s.
    func flush() {
        _ = natsConnection_FlushTimeout(connection, 1000)
    }

    /// Whether the connection is up now.
    var isConnected: Bool { natsConnection_Status(connection) == NATS_CONN_STATUS_CONNECTED }

    /// Closes the connection (pending calls fail), then frees it.
    func close() {
        natsConnection_Close(connection)
    }

    deinit {
        jsCtx_Destroy(jetStream)
        natsConnection_Destroy(connection)
    }

    /// Creates the JetStream stream of `stream` (or updates its limits) once per process.
    func ensureStream(_ stream: String) throws(Failure) {
        let name = NatsStreamNames.jetStreamName(stream)
        if ensuredLock.withLock({ ensured.contains(name) }) { return }
        let subjects = NatsStreamNames.subjects(stream).map { strdup($0) }
        defer { subjects.forEach { free($0) } }
        let cName = strdup(name)
        defer { free(cName) }
        var subjectPointers: [UnsafePointer<CChar>?] = subjects.map { UnsafePointer($0) }
        let status: natsStatus
        var code = jsErrCode(rawValue: 0)
        status = subjectPointers.withUnsafeMutableBufferPointer { buffer -> natsStatus in
            var config = jsStreamConfig()
            jsStreamConfig_Init(&config)
            config.Name = UnsafePointer(cName)
            config.Subjects = buffer.baseAddress
            config.SubjectsLen = Int32(buffer.count)
            config.Storage = js_FileStorage
            config.Retention = js_LimitsPolicy
            config.Discard = js_DiscardOld
            config.MaxAge = retention.maxAge.nanoseconds
            config.MaxMsgs = Int64(retention.maxLength ?? -1)
            config.Duplicates = max(1_000_000, retention.effectiveDeduplicationWindow.nanoseconds)
            var options = jsOptions()
            jsOptions_Init(&options)
            options.Wait = apiWaitMilliseconds
            var info: UnsafeMutablePointer<jsStreamInfo>?
            var status = js_AddStream(&info, jetStream, &config, &options, &code)
            if status != NATS_OK && code == JSStreamNameExistErr {
                code = jsErrCode(rawValue: 0)
                status = js_UpdateStream(&info, jetStream, &config, &options, &code)
            }
            if let info { jsStreamInfo_Destroy(info) }
            return status
        }
        guard status == NATS_OK else { throw Failure("cannot create JetStream stream \(name)", status, code) }
        ensuredLock.withLock { _ = ensured.insert(name) }
    }

    /// Forgets that `stream` exists, so the next use creates it again (a broker whose store
    /// was wiped answers "no responders" for its subjects).
    func forget(_ stream: String) {
        let name = NatsStreamNames.jetStreamName(stream)
        ensuredLock.withLock { _ = ensured.remove(name) }
    }

    /// First and last sequence and message count of a stream.
    func streamState(_ stream: String) throws(Failure) -> (first: UInt64, last: UInt64, messages: UInt64) {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(rawValue: 0)
        var options = jsOptions()
        jsOptions_Init(&options)
        options.Wait = apiWaitMilliseconds
        let status = js_GetStreamInfo(&info, jetStream, NatsStreamNames.jetStreamName(stream), &options, &code)
        guard status == NATS_OK, let info else { throw Failure("cannot read stream info", status, code) }
        defer { jsStreamInfo_Destroy(info) }
        let state = info.pointee.State
        return (state.FirstSeq, state.LastSeq, state.Msgs)
    }

    /// Creates an ephemeral pull consumer over `filter` starting after `after`.
    func pullConsumer(filter: SubjectFilter, after: UInt64) throws(Failure) -> OpaquePointer {
        try consumer(filter: filter, after: after, kind: "pull") { subscription, options, subOptions, code in
            subOptions.Config.InactiveThreshold = 30_000_000_000
            return js_PullSubscribe(&subscription, jetStream, filter.text, nil, &options, &subOptions, &code)
        }
    }

    /// Creates an ephemeral push consumer over `filter` starting after `after`, read
    /// synchronously: the server sends each event as soon as it is stored (no request per
    /// batch), with flow control so a reader that stops reading pauses the consumer, and
    /// heartbeats so a lost delivery shows up as a sequence mismatch.
    func pushConsumer(filter: SubjectFilter, after: UInt64) throws(Failure) -> OpaquePointer {
        try consumer(filter: filter, after: after, kind: "push") { subscription, options, subOptions, code in
            subOptions.Config.FlowControl = true
            subOptions.Config.Heartbeat = 1_000_000_000
            // As the pull consumers: the server keeps it through a 30 s outage (its default
            // for ephemeral consumers is 5 s).
            subOptions.Config.InactiveThreshold = 30_000_000_000
            return js_SubscribeSync(&subscription, jetStream, filter.text, &options, &subOptions, &code)
        }
    }

    /// The options both consumers share (the stream, `DeliverByStartSequence` after `after`,
    /// no acks), then `subscribe` with them.
    private func consumer(
        filter: SubjectFilter,
        after: UInt64,
        kind: String,
        subscribe: (inout OpaquePointer?, inout jsOptions, inout jsSubOptions, inout jsErrCode) -> natsStatus
    ) throws(Failure) -> OpaquePointer {
        let streamName = strdup(NatsStreamNames.jetStreamName(filter.stream))
        defer { free(streamName) }
        var subOptions = jsSubOptions()
        jsSubOptions_Init(&subOptions)
        subOptions.Stream = UnsafePointer(streamName)
        subOptions.Config.DeliverPolicy = js_DeliverByStartSequence
        subOptions.Config.OptStartSeq = after + 1
        subOptions.Config.AckPolicy = js_AckNone
        var options = jsOptions()
        jsOptions_Init(&options)
        options.Wait = apiWaitMilliseconds
        var subscription: OpaquePointer?
        var code = jsErrCode(rawValue: 0)
        let status = subscribe(&subscription, &options, &subOptions, &code)
        guard status == NATS_OK, let subscription else { throw Failure("cannot create a \(kind) consumer on \(filter)", status, code) }
        return subscription
    }

    /// The events a push consumer has delivered: waits up to `wait` for the first, then takes
    /// what is already buffered, up to `limit`. Throws on a sequence mismatch, a slow-consumer
    /// drop or a closed connection: the caller recreates the consumer after its last event.
    func next(_ subscription: OpaquePointer, limit: Int, wait: Duration) throws(Failure) -> [Delivery] {
        var results: [Delivery] = []
        var timeout = max(1, wait.milliseconds)
        while results.count < limit {
            var message: OpaquePointer?
            let status = natsSubscription_NextMsg(&message, subscription, timeout)
            if status == NATS_TIMEOUT { break }
            guard status == NATS_OK, let message else { throw Failure("push consumer read failed", status) }
            defer { natsMsg_Destroy(message) }
            timeout = 0
            if let delivery = Self.event(of: message) { results.append(delivery) }
        }
        return results
    }

    /// Throws when the server no longer has the subscription's consumer (deleted after an
    /// outage, or with a wiped store) or cannot be asked. An idle push consumer and a deleted
    /// one look the same from the reading side: nats.c reports missed heartbeats only to an
    /// asynchronous error handler, so an idle reader asks now and then.
    func checkConsumer(_ subscription: OpaquePointer) throws(Failure) {
        var info: UnsafeMutablePointer<jsConsumerInfo>?
        var code = jsErrCode(rawValue: 0)
        var options = jsOptions()
        jsOptions_Init(&options)
        options.Wait = apiWaitMilliseconds
        let status = natsSubscription_GetConsumerInfo(&info, subscription, &options, &code)
        if let info { jsConsumerInfo_Destroy(info) }
        guard status == NATS_OK else { throw Failure("the push consumer is gone", status, code) }
    }

    /// A stored event, its consumer sequence and what the consumer still holds after it, read
    /// from a JetStream message.
    private static func event(of message: OpaquePointer) -> Delivery? {
        var meta: UnsafeMutablePointer<jsMsgMetaData>?
        guard natsMsg_GetMetaData(&meta, message) == NATS_OK, let meta else { return nil }
        defer { jsMsgMetaData_Destroy(meta) }
        let subject = natsMsg_GetSubject(message).map { String(cString: $0) } ?? ""
        let length = Int(natsMsg_GetDataLength(message))
        var payload: [UInt8] = []
        if length > 0, let data = natsMsg_GetData(message) {
            payload = Array(UnsafeRawBufferPointer(start: data, count: length))
        }
        let event = PipelineEvent(subject: subject, sequence: meta.pointee.Sequence.Stream, timestamp: meta.pointee.Timestamp / 1_000_000, payload: payload)
        return (event, meta.pointee.Sequence.Consumer, meta.pointee.NumPending)
    }

    /// Fetches what the pull consumer holds now (up to `batch`), without waiting (replay).
    /// Returns events with their consumer sequence and pending count.
    func fetch(_ subscription: OpaquePointer, batch: Int) throws(Failure) -> [Delivery] {
        var list = natsMsgList()
        var request = jsFetchRequest()
        jsFetchRequest_Init(&request)
        request.Batch = Int32(batch)
        request.NoWait = true
        request.Expires = 2_000_000_000
        let status = natsSubscription_FetchRequest(&list, subscription, &request)
        defer { natsMsgList_Destroy(&list) }
        if status == NATS_TIMEOUT || status == NATS_NOT_FOUND {
            if list.Count == 0 { return [] }
        } else if status != NATS_OK {
            throw Failure("fetch failed", status)
        }
        return (0..<Int(list.Count)).compactMap { list.Msgs[$0].flatMap(Self.event(of:)) }
    }

    /// Deletes an ephemeral consumer and frees the subscription.
    func drop(_ subscription: OpaquePointer) {
        _ = natsSubscription_Unsubscribe(subscription)
        natsSubscription_Destroy(subscription)
    }
}
