# The rows before the cut are written, then the warning; exit 0.
head -c 100000 sample.pcap > truncated.pcap
pcapframe packets --utc --format csv --columns length truncated.pcap > rows.csv
echo "rows written: $(($(wc -l < rows.csv) - 1))"
tail -n 2 rows.csv
