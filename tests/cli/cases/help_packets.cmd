pcapframe packets --help
