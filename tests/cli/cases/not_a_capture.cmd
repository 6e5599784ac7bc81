printf 'hello world\n' > notes.txt
pcapframe info --utc notes.txt
