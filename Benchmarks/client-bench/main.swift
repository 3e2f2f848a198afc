print("client bench")
