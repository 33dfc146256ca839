import Dispatch
import Glibc
import ShareTrackCore

/// Accepts `sharectl` connections on the control socket. Requests are answered on the control
/// queue, apart from ingest, so a slow query never holds up producers.
final class ControlServer: Sendable {
    let queue = DispatchQueue(label: "sharetrack.control")

    /// Accepts on a listening socket; `answer` handles each decoded request and must eventually
    /// call `connection.reply`.
    func start(listening fd: Int32,
               answer: @escaping @Sendable (ControlRequest, ControlConnection) -> Void) -> any DispatchSourceRead {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [self] in
            while let client = UnixSocket.accept(fd) {
                ControlConnection(fd: client, queue: queue) { connection, line in
                    do throws(ControlError) {
                        answer(try ControlCodec.decodeRequest(line), connection)
                    } catch {
                        connection.reply(ControlCodec.errorLine(error))
                    }
                }.start()
            }
        }
        source.setCancelHandler { Glibc.close(fd) }
        source.resume()
        return source
    }
}
