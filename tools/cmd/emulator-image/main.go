// Command emulator-image builds the marketplace-emulator container image
// without a Docker engine, and checks an image so built.
//
// The release builds the image with GoReleaser and Docker from
// cmd/marketplace-emulator/Dockerfile. This command follows the same
// Dockerfile (its COPY, USER, EXPOSE and ENTRYPOINT) and the labels of
// .goreleaser.yml, on an empty base, so that the image can be built and
// inspected where no Docker engine runs:
//
//	emulator-image build -context DIR -platform linux/amd64 -version V -revision R -tar OUT.tar [-oci DIR]
//	emulator-image check -tar OUT.tar -version V
//
// build writes a tarball that `docker load` takes and, with -oci, an OCI
// image layout. check reads the tarball, compares its configuration with
// the Dockerfile, finds the binary in the layer, and runs it: -version,
// then the image's entrypoint (its listen address moved to loopback) and
// an unauthenticated /health probe.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "emulator-image:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: emulator-image build|check [flags]")
	}
	fs := flag.NewFlagSet("emulator-image "+args[0], flag.ContinueOnError)
	dockerfile := fs.String("dockerfile", "../cmd/marketplace-emulator/Dockerfile", "the image's Dockerfile")
	goreleaser := fs.String("goreleaser", "../.goreleaser.yml", "the GoReleaser configuration whose dockers_v2 labels the image gets")
	tarPath := fs.String("tar", "../dist/marketplace-emulator-image.tar", "the docker-loadable image tarball")
	version := fs.String("version", "0.0.0-dev", "the version the emulator binary was built with (its tag and label)")
	contextDir := fs.String("context", "../dist/image", "build: the build context, holding <platform>/marketplace-emulator")
	platform := fs.String("platform", "linux/amd64", "build: the image's platform")
	revision := fs.String("revision", "", "build: the commit the image is built from (its revision label)")
	ociDir := fs.String("oci", "", "build: also write an OCI image layout to this directory")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	df, err := parseDockerfile(*dockerfile)
	if err != nil {
		return err
	}
	switch args[0] {
	case "build":
		labels, err := goreleaserLabels(*goreleaser, *version, *revision)
		if err != nil {
			return err
		}
		return build(df, buildOptions{
			contextDir: *contextDir, platform: *platform, version: *version,
			labels: labels, tarPath: *tarPath, ociDir: *ociDir,
		})
	case "check":
		return check(df, *tarPath, *version)
	default:
		return fmt.Errorf("unknown command %q: want build or check", args[0])
	}
}
