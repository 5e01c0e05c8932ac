pytest_plugins = ["exemplar.testing"]
