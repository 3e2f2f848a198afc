import AsyncHTTPClient; import ArgumentParser; print("x")
