package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// dockerfile is what the image takes from the Dockerfile.
type dockerfile struct {
	base       string
	copySource string // relative to the build context; may name $TARGETPLATFORM
	copyDest   string
	user       string
	exposed    []string // such as "8080/tcp"
	entrypoint []string
}

// parseDockerfile reads the few instructions the emulator's Dockerfile
// uses, and refuses any other, so that the image built here cannot
// silently differ from the one Docker builds.
func parseDockerfile(path string) (dockerfile, error) {
	f, err := os.Open(path)
	if err != nil {
		return dockerfile{}, err
	}
	defer func() { _ = f.Close() }()
	var df dockerfile
	scanner := bufio.NewScanner(f)
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		instruction, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		if err := df.apply(strings.ToUpper(instruction), rest); err != nil {
			return dockerfile{}, fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	if err := scanner.Err(); err != nil {
		return dockerfile{}, err
	}
	if df.base != "scratch" || df.copyDest == "" || len(df.entrypoint) == 0 {
		return dockerfile{}, fmt.Errorf("%s: want FROM scratch, a COPY and an ENTRYPOINT", path)
	}
	return df, nil
}

func (df *dockerfile) apply(instruction, rest string) error {
	switch instruction {
	case "FROM":
		df.base = rest
	case "ARG":
		if rest != "TARGETPLATFORM" {
			return fmt.Errorf("ARG %s: only TARGETPLATFORM is supported", rest)
		}
	case "COPY":
		parts := strings.Fields(rest)
		if len(parts) != 2 {
			return fmt.Errorf("COPY %s: want one source and one destination", rest)
		}
		df.copySource, df.copyDest = parts[0], parts[1]
	case "USER":
		df.user = rest
	case "EXPOSE":
		for _, p := range strings.Fields(rest) {
			if !strings.Contains(p, "/") {
				p += "/tcp"
			}
			df.exposed = append(df.exposed, p)
		}
	case "ENTRYPOINT":
		if err := json.Unmarshal([]byte(rest), &df.entrypoint); err != nil {
			return fmt.Errorf("ENTRYPOINT must be a JSON array: %w", err)
		}
	default:
		return fmt.Errorf("%s is not supported here: teach emulator-image about it", instruction)
	}
	return nil
}
