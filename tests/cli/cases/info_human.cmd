pcapframe info --utc sample.pcap
