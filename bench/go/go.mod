module github.com/libpinata/libpinata/bench/go

go 1.23

require github.com/libpinata/libpinata/bindings/go v0.0.0

replace github.com/libpinata/libpinata/bindings/go => ../../bindings/go
