// The generated types and server stubs of OpenAPI/openapi.yaml live in this module (the generator plugin writes
// Types.swift and Server.swift at build time); nothing here is written by hand but this file, which SwiftPM needs
// to see the target.
import OpenAPIRuntime
