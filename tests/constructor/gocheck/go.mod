module gocheck

go 1.26

require (
	github.com/gabriel-vasile/mimetype v1.4.14
	sigs.k8s.io/yaml v1.6.0
)

require go.yaml.in/yaml/v2 v2.4.2 // indirect
