pcapframe info --utc .
