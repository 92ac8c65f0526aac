module github.com/libpinata/libpinata/bindings/go

go 1.23
