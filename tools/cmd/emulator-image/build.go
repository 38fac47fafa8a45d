package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// imageRepository is the image's name, as .goreleaser.yml publishes it.
const imageRepository = "ghcr.io/immuta/marketplace-emulator"

type buildOptions struct {
	contextDir, platform, version string
	labels                        map[string]string
	tarPath, ociDir               string
}

// build assembles the image and writes it.
func build(df dockerfile, opts buildOptions) error {
	p, err := v1.ParsePlatform(opts.platform)
	if err != nil {
		return err
	}
	source := filepath.Join(opts.contextDir, filepath.FromSlash(strings.ReplaceAll(df.copySource, "$TARGETPLATFORM", opts.platform)))
	binary, err := os.ReadFile(source)
	if err != nil {
		return fmt.Errorf("the COPY source: %w", err)
	}
	layer, err := binaryLayer(df.copyDest, binary)
	if err != nil {
		return err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture, cfg.Variant = p.OS, p.Architecture, p.Variant
	cfg.Config.User = df.user
	cfg.Config.Entrypoint = df.entrypoint
	cfg.Config.Labels = opts.labels
	cfg.Config.ExposedPorts = map[string]struct{}{}
	for _, port := range df.exposed {
		cfg.Config.ExposedPorts[port] = struct{}{}
	}
	if img, err = mutate.ConfigFile(img, cfg); err != nil {
		return err
	}
	return writeImage(img, opts)
}

// binaryLayer is a layer holding one executable file, owned by root, with
// a fixed time so that the same binary always makes the same layer.
func binaryLayer(dest string, binary []byte) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{
		Name: strings.TrimPrefix(dest, "/"), Mode: 0o755, Size: int64(len(binary)),
		Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0).UTC(), Format: tar.FormatPAX,
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := tw.Write(binary); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	content := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(content)), nil
	})
}

// writeImage writes the docker-loadable tarball and, if asked, the OCI
// layout.
func writeImage(img v1.Image, opts buildOptions) error {
	tag, err := name.NewTag(imageRepository + ":" + strings.ReplaceAll(opts.version, "+", "_"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(opts.tarPath), 0o750); err != nil {
		return err
	}
	if err := tarball.WriteToFile(opts.tarPath, tag, img); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%s)\n", opts.tarPath, tag)
	if opts.ociDir == "" {
		return nil
	}
	if err := os.RemoveAll(opts.ociDir); err != nil {
		return err
	}
	path, err := layout.Write(opts.ociDir, empty.Index)
	if err != nil {
		return err
	}
	if err := path.AppendImage(img); err != nil {
		return err
	}
	fmt.Printf("wrote %s (an OCI image layout)\n", opts.ociDir)
	return nil
}
