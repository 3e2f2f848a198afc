// The reference client library; see RevisitClient.swift.
