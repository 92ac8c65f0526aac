//! Generates the C header from `src/ffi` with cbindgen (pinned in Cargo.toml).
//!
//! The header reads as a manual: one section per module of `src/ffi`, in the order of
//! the `pub mod` lines of `src/ffi/mod.rs`, each under a banner made from the module's
//! `//!` comment, with the module's constants before its types and functions. cbindgen
//! runs once per module; this script writes the frame (preamble, include guard,
//! includes, version macros, `extern "C"`) around the sections.
//!
//! C constant tables are declared once, as rows of a `c_table!` (src/ffi/<module>.rs)
//! or `status_table!` (src/<module>.rs) macro; cbindgen does not expand macros, so this
//! script reads those rows and writes their `#define`s into the module's section.
//!
//! The header is written to `$OUT_DIR/pinata.h` and, when `PINATA_HEADER_OUT` is set,
//! also copied there (the Makefile uses that to compare with or refresh the committed
//! `include/pinata.h`).

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=PINATA_HEADER_OUT");

    // The two flavours pull in different libcurls and TLS stacks; both at once would
    // link OpenSSL into the bundled library.
    if env::var_os("CARGO_FEATURE_BUNDLED").is_some()
        && env::var_os("CARGO_FEATURE_SYSTEM_CURL").is_some()
    {
        panic!(
            "features `bundled` and `system-curl` exclude each other: build the bundled \
             flavour with `--no-default-features --features bundled` (make bundled)"
        );
    }

    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap();
    let minor = env::var("CARGO_PKG_VERSION_MINOR").unwrap();
    let patch = env::var("CARGO_PKG_VERSION_PATCH").unwrap();

    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable");
    let mut header = frame_start(&config);
    header.push_str(&format!(
        "\n/* The version of this header; pinata_version() gives the library's. */\n\
         #define PINATA_VERSION_MAJOR {major}\n\
         #define PINATA_VERSION_MINOR {minor}\n\
         #define PINATA_VERSION_PATCH {patch}\n\
         #define PINATA_VERSION_STRING \"{major}.{minor}.{patch}\"\n\
         /* (major << 16) | (minor << 8) | patch, as pinata_version_number() returns. */\n\
         #define PINATA_VERSION_NUMBER ((PINATA_VERSION_MAJOR << 16) | (PINATA_VERSION_MINOR << 8) | PINATA_VERSION_PATCH)\n\
         /* True when this header is at least version (maj, min, pat). */\n\
         #define PINATA_VERSION_AT_LEAST(maj, min, pat) (PINATA_VERSION_NUMBER >= (((maj) << 16) | ((min) << 8) | (pat)))\n\
         \n#ifdef __cplusplus\nextern \"C\" {{\n#endif  // __cplusplus\n"
    ));

    let ffi = crate_dir.join("src/ffi");
    for (number, module) in section_modules(&ffi, "").iter().enumerate() {
        let source = ffi.join(format!("{module}.rs"));
        let text = read(&source);
        // A module's constants: its own tables and those of the safe-API module of
        // the same name (the status table lives in src/error.rs).
        let safe = crate_dir.join(format!("src/{module}.rs"));
        let mut parts = Vec::new();
        if safe.exists() {
            println!("cargo:rerun-if-changed=src/{module}.rs");
            parts.extend(table_defines(&read(&safe)));
        }
        parts.extend(table_defines(&text));
        parts.push(section(&config, &source).trim().to_string());
        header.push_str(&banner(number + 1, &module_doc(&text)));
        header.push_str(&parts.join("\n\n"));
        header.push('\n');
    }

    header.push_str("\n#ifdef __cplusplus\n}  // extern \"C\"\n#endif  // __cplusplus\n");
    if let Some(guard) = &config.include_guard {
        header.push_str(&format!("\n#endif  /* {guard} */\n"));
    }

    let out = out_dir.join("pinata.h");
    fs::write(&out, &header).expect("OUT_DIR is writable");
    if let Ok(dest) = env::var("PINATA_HEADER_OUT") {
        fs::copy(&out, &dest).expect("PINATA_HEADER_OUT is writable");
    }
    println!("cargo:include={}", out_dir.display());

    // A deliberate SONAME: before 1.0 every minor version may break the ABI, so the
    // SONAME carries major.minor (as cargo-c does).
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpinata.so.{major}.{minor}");
        // rustls-ffi's `extern "C"` functions (curl's rustls backend calls them) would be
        // exported from the cdylib like the library's own; the archives linked in keep
        // their symbols to themselves, so only `pinata_` symbols remain exported.
        if env::var_os("CARGO_FEATURE_BUNDLED").is_some() {
            println!("cargo:rustc-cdylib-link-arg=-Wl,--exclude-libs,ALL");
        }
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The preamble comment, include guard, autogen warning and includes, as cbindgen.toml
/// spells them.
fn frame_start(config: &cbindgen::Config) -> String {
    let mut s = String::new();
    if let Some(text) = &config.header {
        s.push_str(text);
        s.push_str("\n\n");
    }
    if let Some(guard) = &config.include_guard {
        s.push_str(&format!("#ifndef {guard}\n#define {guard}\n\n"));
    }
    if let Some(warning) = &config.autogen_warning {
        s.push_str(warning);
        s.push_str("\n\n");
    }
    for include in &config.sys_includes {
        s.push_str(&format!("#include <{include}>\n"));
    }
    s
}

/// The header's sections: the modules of `src/ffi/<dir>/mod.rs`, in the order of their
/// `pub mod` lines, as paths below `src/ffi` (`legacy/pinning`). A module that is a
/// directory (an API family: `legacy`, `v3`, ...) stands for its own modules, in turn.
fn section_modules(ffi: &Path, dir: &str) -> Vec<String> {
    let mod_rs = ffi.join(dir).join("mod.rs");
    println!("cargo:rerun-if-changed={}", mod_rs.display());
    let mut out = Vec::new();
    for name in read(&mod_rs)
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|rest| rest.trim_end_matches(';').trim())
    {
        let path = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        if ffi.join(&path).join("mod.rs").exists() {
            out.extend(section_modules(ffi, &path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The module's `//!` comment, as lines of text.
fn module_doc(text: &str) -> Vec<String> {
    text.lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").trim().to_string())
        .collect()
}

/// A section banner: a rule, the section's number and the module comment (its first
/// line is the title), a rule.
fn banner(number: usize, doc: &[String]) -> String {
    let rule = "=".repeat(76);
    let mut s = format!("\n/* {rule}\n");
    for (i, line) in doc.iter().enumerate() {
        let line = if i == 0 {
            format!("{number}. {line}")
        } else {
            line.clone()
        };
        if line.is_empty() {
            s.push_str(" *\n");
        } else {
            s.push_str(&format!(" * {line}\n"));
        }
    }
    s.push_str(&format!(" * {rule} */\n\n"));
    s
}

/// The `#define` of every table row in `text`: a row is a line `NAME = value => ...`
/// inside a `c_table!` or `status_table!` invocation, after its `///` doc lines.
fn table_defines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_table = false;
    let mut doc: Vec<String> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if !in_table {
            // The invocation, not the macro's definition.
            in_table = (t.starts_with("c_table! {") || t.starts_with("status_table! {"))
                && !t.contains("macro_rules");
            continue;
        }
        if line.starts_with('}') {
            in_table = false;
            doc.clear();
        } else if let Some(d) = t.strip_prefix("///") {
            doc.push(d.trim().to_string());
        } else if let Some((name, value)) = table_row(t) {
            let mut define = String::from("/**\n");
            for d in doc.drain(..) {
                let _ = writeln!(define, " * {d}");
            }
            let _ = write!(define, " */\n#define {name} {value}");
            out.push(define);
        } else {
            // Only the table's own header line (`static NAME: type => Target {`) may be
            // left: a row this reader cannot parse must not vanish from the header.
            assert!(
                !t.contains("=>") || t.starts_with("static "),
                "build.rs cannot read this C table row (one row per line: \
                 `PINATA_NAME = value => target,`): {t}"
            );
            doc.clear();
        }
    }
    out
}

/// `PINATA_NAME = 12 => Target,` gives `("PINATA_NAME", "12")`.
fn table_row(line: &str) -> Option<(&str, &str)> {
    let (lhs, _) = line.split_once("=>")?;
    let (name, value) = lhs.split_once('=')?;
    let (name, value) = (name.trim(), value.trim());
    let is_name = name.starts_with("PINATA_")
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let is_value = value
        .strip_prefix('-')
        .unwrap_or(value)
        .chars()
        .all(|c| c.is_ascii_digit())
        && !value.is_empty();
    (is_name && is_value).then_some((name, value))
}

/// cbindgen's output for one module, without a frame of its own.
fn section(config: &cbindgen::Config, source: &Path) -> String {
    let mut config = config.clone();
    config.header = None;
    config.trailer = None;
    config.include_guard = None;
    config.autogen_warning = None;
    config.no_includes = true;
    config.sys_includes.clear();
    config.includes.clear();
    config.after_includes = None;
    config.cpp_compat = false;
    let mut buf = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(source)
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen could not read {}: {e}", source.display()))
        .write(&mut buf);
    String::from_utf8(buf).expect("cbindgen writes UTF-8")
}
