// Command sdkgen writes the TypeScript and Go SDKs of the chartmogul package from its Pulumi package schema, with
// Pulumi's own code generators (github.com/pulumi/pulumi/pkg/v3/codegen, at the version of the CLI this repository
// builds). `make sdks` runs it; the official CLI's `pulumi package gen-sdk` runs the same generators through its
// language hosts, which the old hosts built here cannot (they answer "GeneratePackage not implemented").
//
// Usage: sdkgen [-schema FILE] [-out DIR]. It reads the schema (default stdin), binds it (refusing any other package:
// ours depends on none), and replaces DIR/nodejs and DIR/go with the generated files (keeping only what a build puts
// there: node_modules, bin and go.sum), then writes the schema it generated from to DIR/schema.json, so a test can
// tell when the SDKs no longer match the schema without Go.
//
// After generation, one change to the TypeScript SDK (and only this one): every `Resource.exists` calls
// `pulumi.runtime.existsResource`, which the newest @pulumi/pulumi that runs on node 20 (3.248.0) does not have, so
// the SDK would not compile there; the call goes through a helper added to utilities.ts that says so at run time
// instead.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/contract"
	"golang.org/x/mod/modfile"
)

const tool = "pulumi-chartmogul tools/sdkgen"

// kept are the names a build leaves in an SDK folder: never generated, never removed.
var kept = map[string]bool{"node_modules": true, "bin": true, "go.sum": true}

// noOtherPackages is the loader binding needs for references to other packages; the chartmogul schema has none.
type noOtherPackages struct{}

func (noOtherPackages) refuse(name string) error {
	return fmt.Errorf("the chartmogul schema refers to package %q: sdkgen loads no other package", name)
}

func (l noOtherPackages) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.refuse(pkg)
}

func (l noOtherPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.refuse(d.Name)
}

func (l noOtherPackages) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.refuse(pkg)
}

func (l noOtherPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, l.refuse(d.Name)
}

const existsCall = "pulumi.runtime.existsResource("

const existsHelper = `
/**
 * What the exists method of each resource calls: pulumi.runtime.existsResource where this program's @pulumi/pulumi
 * has it (newer releases than 3.248.0, the newest that runs on node 20); otherwise an error saying so.
 * Added by tools/sdkgen after code generation, so the SDK compiles against either.
 */
export function existsResource(
    type: string, id: pulumi.Input<string>, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions,
    packageRef?: Promise<string | undefined>,
): pulumi.Output<boolean> {
    const exists = (pulumi.runtime as any).existsResource;
    if (typeof exists !== "function") {
        throw new Error(type + ".exists needs a newer @pulumi/pulumi: this one has no runtime.existsResource");
    }
    return exists(type, id, props, opts, packageRef);
}
`

// patchNodejs routes `exists` through the helper above; it fails when the generated code no longer looks as expected,
// so a new codegen release is looked at rather than patched blindly.
func patchNodejs(files map[string][]byte) error {
	utilities, ok := files["utilities.ts"]
	if !ok || !bytes.Contains(utilities, []byte(`import * as pulumi from "@pulumi/pulumi";`)) {
		return errors.New("generated utilities.ts does not import @pulumi/pulumi as pulumi: look at tools/sdkgen's patch")
	}
	patched := 0
	for name, text := range files {
		if strings.HasSuffix(name, ".ts") && bytes.Contains(text, []byte(existsCall)) {
			if !bytes.Contains(text, []byte(`import * as utilities from "./utilities";`)) {
				return fmt.Errorf("generated %s calls existsResource but does not import ./utilities", name)
			}
			files[name] = bytes.ReplaceAll(text, []byte(existsCall), []byte("utilities.existsResource("))
			patched++
		}
	}
	if patched == 0 {
		return errors.New("no generated resource calls pulumi.runtime.existsResource any more: drop tools/sdkgen's patch")
	}
	files["utilities.ts"] = append(utilities, []byte(existsHelper)...)
	return nil
}

// requireOurGoSDK makes the Go SDK's go.mod require the Pulumi Go SDK this generator was built with (the CLI's
// version), rather than the older minimum the generator writes (v3.269.0), whose dependencies the Go module proxy
// does not all serve; `make sdks` then runs `go mod tidy` there.
func requireOurGoSDK(files map[string][]byte) error {
	const sdkPath = "github.com/pulumi/pulumi/sdk/v3"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return errors.New("sdkgen was built without module information")
	}
	version := ""
	for _, dep := range info.Deps {
		if dep.Path == sdkPath {
			version = dep.Version
		}
	}
	gomod, err := modfile.Parse("go.mod", files["go.mod"], nil)
	if err != nil || version == "" {
		return fmt.Errorf("the generated go.mod or sdkgen's own %s version (%q): %v", sdkPath, version, err)
	}
	if err := gomod.AddRequire(sdkPath, version); err != nil {
		return err
	}
	files["go.mod"], err = gomod.Format()
	return err
}

// replaceFolder empties dir (but for the kept names) and writes files into it.
func replaceFolder(dir string, files map[string][]byte) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, entry := range entries {
		if !kept[entry.Name()] {
			if err := os.RemoveAll(filepath.Join(dir, entry.Name())); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func run(schemaPath, out string) error {
	var raw []byte
	var err error
	if schemaPath == "-" {
		raw, err = io.ReadAll(os.Stdin)
	} else {
		raw, err = os.ReadFile(schemaPath)
	}
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("the schema is not a Pulumi package schema: %w", err)
	}
	loader := noOtherPackages{}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return fmt.Errorf("the schema does not bind: %s", diags.Error())
	}
	nodeFiles, err := nodejs.GeneratePackage(tool, pkg, nil, nil, false, loader)
	if err != nil {
		return fmt.Errorf("TypeScript SDK: %w", err)
	}
	if err := patchNodejs(nodeFiles); err != nil {
		return err
	}
	goFiles, err := gogen.GeneratePackage(tool, pkg, nil)
	if err != nil {
		return fmt.Errorf("Go SDK: %w", err)
	}
	if err := requireOurGoSDK(goFiles); err != nil {
		return err
	}
	var npm struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(nodeFiles["package.json"], &npm); err != nil {
		return fmt.Errorf("generated package.json: %w", err)
	}
	if pkg.Version == nil || npm.Version != pkg.Version.String() {
		return fmt.Errorf("generated package.json has version %q, not the schema's: the schema's language.nodejs "+
			"needs respectSchemaVersion", npm.Version)
	}
	if err := replaceFolder(filepath.Join(out, "nodejs"), nodeFiles); err != nil {
		return err
	}
	if err := replaceFolder(filepath.Join(out, "go"), goFiles); err != nil {
		return err
	}
	if !bytes.HasSuffix(raw, []byte("\n")) {
		raw = append(raw, '\n')
	}
	return os.WriteFile(filepath.Join(out, "schema.json"), raw, 0o644)
}

func main() {
	schemaPath := flag.String("schema", "-", "the package schema (JSON); - reads stdin")
	out := flag.String("out", "sdk", "the folder that gets nodejs/, go/ and schema.json")
	flag.Parse()
	contract.Assertf(flag.NArg() == 0, "sdkgen takes no arguments, only -schema and -out")
	if err := run(*schemaPath, *out); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}
