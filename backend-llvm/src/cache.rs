//! The object cache (not yet).
use crate::errors::SiteTable;
use crate::target::OptLevel;
use rpy_ir::ir::Program;
use std::path::Path;

/// What identifies a compiled program.
pub struct CacheKey(pub String);
impl CacheKey {
    /// The key of `program` at `opt`.
    pub fn new(_program: &Program, opt: OptLevel) -> CacheKey {
        CacheKey(opt.name().into())
    }
}
/// A cached object.
pub fn load(_dir: &Path, _key: &CacheKey, _program: &Program) -> Option<(Vec<u8>, SiteTable)> {
    None
}
/// Stores an object.
pub fn store(
    _dir: &Path,
    _key: &CacheKey,
    _object: &[u8],
    _sites: &SiteTable,
) -> std::io::Result<()> {
    Ok(())
}
