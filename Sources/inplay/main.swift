import HTTPCore
import InPlayService
import Logging
import Pipeline
import ServiceLifecycle

// Reads the configuration, builds the service, runs it until SIGTERM/SIGINT.
let environment = EnvironmentReader()
let configuration: InPlayConfiguration
do {
    configuration = try InPlayConfiguration(environment: environment)
} catch {
    ServiceRunner.fail(error, service: "inplay")
}
let logger = LoggingSetup.logger(service: "inplay", settings: configuration.http)
let pipeline = PipelineFactory.make(configuration: configuration.pipeline, logger: logger)
do {
    let service = try await InPlayApplication.build(configuration: configuration, pipeline: pipeline, logger: logger)
    try await ServiceRunner.run([PipelineShutdownService(pipeline: pipeline), service.application, service.hub], logger: logger)
} catch let error as ConfigurationError {
    ServiceRunner.fail(error, service: "inplay")
} catch {
    logger.critical("inplay stopped", metadata: ["error.message": "\(error)"])
    throw error
}
