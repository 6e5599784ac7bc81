pcapframe packets --format xml sample.pcap
