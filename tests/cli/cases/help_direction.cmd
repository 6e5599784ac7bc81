pcapframe direction --help
