pcapframe inof data/sample.pcap
