module sonde/server

go 1.19
