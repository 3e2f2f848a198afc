print("revisit")
