# The bundled articles must pass every authoring check, warnings included.
go run ./cmd/healthsite check -strict articles
