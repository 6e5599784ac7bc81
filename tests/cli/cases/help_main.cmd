pcapframe --help
