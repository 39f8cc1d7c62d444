import HTTPCore
import Logging
import OrderRouterService
import Pipeline

let environment = EnvironmentReader()
let configuration: OrderRouterConfiguration
do {
    configuration = try OrderRouterConfiguration(environment: environment)
} catch {
    ServiceRunner.fail(error, service: "order-router")
}
let logger = LoggingSetup.logger(service: "order-router", settings: configuration.http)
do {
    let pipeline = try PipelineFactory.make(environment: environment.values, logger: logger)
    let built = try await OrderRouterApplication.build(configuration: configuration, pipeline: pipeline, logger: logger)
    try await ServiceRunner.run([PipelineShutdown(pipeline: pipeline), built.application], logger: logger)
} catch {
    ServiceRunner.fail(error, service: "order-router")
}
