# Two small captures cut from the sample at record boundaries (found from the caplen
# column), the second read from standard input.
cut_at() { pcapframe packets --format csv --columns caplen --limit "$1" sample.pcap | awk 'NR > 1 { s += 16 + $1 } END { print s + 24 }'; }
head -c "$(cut_at 20)" sample.pcap > first20.pcap
head -c "$(cut_at 5)" sample.pcap > first5.pcap
pcapframe info --utc first20.pcap - < first5.pcap
