/// Without `cfg(fuzzing)` (a plain `cargo build`), a target replays the files or
/// directories named on the command line through its `check`, so it builds and runs on
/// stable. Included by every target after its body.
#[cfg(not(fuzzing))]
fn main() {
    for arg in std::env::args().skip(1) {
        let path = std::path::Path::new(&arg);
        let files: Vec<std::path::PathBuf> = if path.is_dir() {
            std::fs::read_dir(path).into_iter().flatten().flatten().map(|e| e.path()).collect()
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            if let Ok(data) = std::fs::read(&file) {
                check(&data);
            }
        }
    }
}
