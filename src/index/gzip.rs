//! Placeholder until the access-point module lands.
use std::io;
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessPoint {
    pub out: u64,
    pub input: u64,
    pub bits: u8,
    pub window: Vec<u8>,
}
pub fn build(
    _data: &[u8],
    _span: u64,
    _sink: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<Vec<AccessPoint>> {
    Err(io::Error::other("todo"))
}
pub struct Resume<'a> {
    _d: &'a [u8],
}
impl<'a> Resume<'a> {
    pub fn new(data: &'a [u8], _p: &AccessPoint) -> io::Result<Resume<'a>> {
        Ok(Resume { _d: data })
    }
}
impl io::Read for Resume<'_> {
    fn read(&mut self, _b: &mut [u8]) -> io::Result<usize> {
        Ok(0)
    }
}
