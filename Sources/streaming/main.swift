import HTTPCore
import Logging
import StreamingService

// Reads the configuration, builds the service and runs it until SIGTERM/SIGINT.
let environment = EnvironmentReader()
let configuration: StreamingConfiguration
do {
    configuration = try StreamingConfiguration(environment: environment)
} catch {
    ServiceRunner.fail(error, service: "streaming")
}
let logger = LoggingSetup.logger(service: "streaming", settings: configuration.http)
do {
    let runtime = try StreamingApplication.build(configuration: configuration, environment: environment, logger: logger)
    logger.info("streaming starting", metadata: ["http.port": "\(configuration.http.port)", "room.default": "\(configuration.defaultRoom)"])
    try await ServiceRunner.run(runtime.services, logger: logger)
} catch {
    ServiceRunner.fail(error, service: "streaming")
}
