module github.com/libpinata/libpinata/bench/gofloor

go 1.23
