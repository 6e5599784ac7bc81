pcapframe rates --help
