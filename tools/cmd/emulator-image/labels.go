package main

import (
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// goreleaserLabels returns the labels .goreleaser.yml gives the
// emulator's image, with the two template values it uses filled in.
func goreleaserLabels(path, version, revision string) (map[string]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		Dockers []struct {
			ID     string            `yaml:"id"`
			Labels map[string]string `yaml:"labels"`
		} `yaml:"dockers_v2"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, d := range cfg.Dockers {
		if d.ID != "emulator" {
			continue
		}
		labels := make(map[string]string, len(d.Labels))
		for k, v := range d.Labels {
			v = strings.ReplaceAll(v, "{{ .Version }}", version)
			v = strings.ReplaceAll(v, "{{ .FullCommit }}", revision)
			if strings.Contains(v, "{{") {
				return nil, fmt.Errorf("%s: label %s uses a template value emulator-image does not know: %s", path, k, v)
			}
			labels[k] = v
		}
		return labels, nil
	}
	return nil, fmt.Errorf("%s: no dockers_v2 entry with id emulator", path)
}
