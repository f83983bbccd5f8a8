module gogolden

go 1.22
