import Foundation
import LiveRooms
import Logging
import Synchronization

/// The service's durable state: live sessions and moderation, shared by the REST handlers and
/// the fan-out, saved to `STREAMING_DATA_DIR/state.json` after every change (atomically, via a
/// temporary file and rename) and read back at start.
///
/// Every process applies the session and moderation events it reads from the pipeline, so
/// processes sharing a broker agree; `lastAppliedSequence` lets a restarted process read the
/// events it missed.
public final class RoomState: Sendable {
    private struct Books: Codable, Sendable {
        /// Every session.
        var sessions = LiveSessionBook()
        /// Mutes and bans.
        var moderation = ModerationBook()
        /// The room-stream sequence of the last state event applied.
        var lastAppliedSequence: UInt64 = 0
    }

    private let books: Mutex<Books>
    private let busySessions = Mutex<Set<String>>([])
    private let writeLock = Mutex<Void>(())
    private let fileURL: URL?
    private let logger: Logger

    /// Loads the state from `directory` (created when missing); in memory only when nil.
    public init(directory: String?, logger: Logger) throws {
        self.logger = logger
        guard let directory else {
            fileURL = nil
            books = Mutex(Books())
            return
        }
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("state.json")
        fileURL = file
        if let data = try? Data(contentsOf: file) {
            do {
                books = Mutex(try JSONDecoder().decode(Books.self, from: data))
            } catch {
                throw StreamingError.corruptState("\(file.path): \(error)")
            }
        } else {
            books = Mutex(Books())
        }
    }

    // MARK: Reading

    /// A session by id.
    public func session(_ id: String) -> LiveSession? { books.withLock { $0.sessions.session(id) } }

    /// The sessions of a room (all rooms when nil).
    public func sessions(room: String?) -> [LiveSession] { books.withLock { $0.sessions.sessions(room: room) } }

    /// The active ban of a viewer in a room.
    public func ban(of viewer: String, in room: String, at now: Int64) -> ModerationBook.Restriction? {
        books.withLock { $0.moderation.ban(of: viewer, in: room, at: now) }
    }

    /// The active mute of a viewer in a room.
    public func mute(of viewer: String, in room: String, at now: Int64) -> ModerationBook.Restriction? {
        books.withLock { $0.moderation.mute(of: viewer, in: room, at: now) }
    }

    /// The highest room-stream sequence whose state event was applied.
    public var lastAppliedSequence: UInt64 { books.withLock { $0.lastAppliedSequence } }

    // MARK: Changing

    /// Checks a new session against the book (its id must be new).
    func validateNew(_ session: LiveSession) throws(LiveRoomsError) {
        let exists = books.withLock { $0.sessions.session(session.id) != nil }
        if exists { throw .invalidField("session '\(session.id)' already exists") }
    }

    /// Runs a transition on the current copy of a session without storing it.
    func proposed(_ id: String, _ change: (inout LiveSession) throws(LiveRoomsError) -> Void) throws(LiveRoomsError) -> LiveSession {
        let book = books.withLock { $0.sessions }
        return try book.transition(id, change)
    }

    /// Marks a session as being changed by this process; false when it already is (the caller
    /// answers 409 rather than letting two transitions race).
    func claim(_ id: String) -> Bool { busySessions.withLock { $0.insert(id).inserted } }

    /// Ends a ``claim(_:)``.
    func release(_ id: String) { _ = busySessions.withLock { $0.remove(id) } }

    /// Applies a session snapshot (from this process or the pipeline) and saves.
    func apply(session: LiveSession, sequence: UInt64?) {
        let changed = books.withLock { books in
            let changed = books.sessions.apply(session)
            if let sequence, sequence > books.lastAppliedSequence { books.lastAppliedSequence = sequence }
            return changed
        }
        if changed || sequence != nil { save() }
    }

    /// Applies a moderation command (from this process or the pipeline) and saves.
    func apply(moderation command: ModerationCommand, sequence: UInt64?, now: Int64) {
        let changed = books.withLock { books in
            let changed = books.moderation.apply(command)
            if changed { books.moderation.prune(at: now) }
            if let sequence, sequence > books.lastAppliedSequence { books.lastAppliedSequence = sequence }
            return changed
        }
        if changed || sequence != nil { save() }
    }

    private func save() {
        guard let fileURL else { return }
        writeLock.withLock { _ in
            let snapshot = books.withLock { $0 }
            do {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                try encoder.encode(snapshot).write(to: fileURL, options: .atomic)
            } catch {
                logger.error("cannot save streaming state", metadata: ["file.path": "\(fileURL.path)", "error": "\(error)"])
            }
        }
    }
}
