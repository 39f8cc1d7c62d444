import HTTPCore
import MarketWSService
import Pipeline

let environment = EnvironmentReader()
let configuration: MarketWSConfiguration
do {
    configuration = try MarketWSConfiguration(environment: environment)
} catch {
    ServiceRunner.fail(error, service: "market-ws")
}
let logger = LoggingSetup.logger(service: "market-ws", settings: configuration.http)
let pipeline = PipelineFactory.make(configuration: configuration.pipeline, logger: logger)
let built: MarketWSApplication.Built
do {
    built = try MarketWSApplication.build(configuration: configuration, pipeline: pipeline, logger: logger)
} catch {
    ServiceRunner.fail(error, service: "market-ws")
}
try await ServiceRunner.run([PipelineLifecycle(pipeline: pipeline), built.application, built.hub], logger: logger)
