print("demo worker")
