pcapframe capture --help
