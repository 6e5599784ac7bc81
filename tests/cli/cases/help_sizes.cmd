pcapframe sizes --help
