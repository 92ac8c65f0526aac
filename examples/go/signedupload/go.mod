module github.com/libpinata/libpinata/examples/go/signedupload

go 1.23

require github.com/libpinata/libpinata/bindings/go v0.0.0-00010101000000-000000000000

replace github.com/libpinata/libpinata/bindings/go => ../../../bindings/go
