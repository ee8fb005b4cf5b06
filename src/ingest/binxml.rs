//! BinXML, the binary XML of Windows event logs (MS-EVEN6's BinXml grammar and value types):
//! the token and value type bytes that the `.evtx` reader's quick reading and the synthetic
//! log writer share.

/// Tokens; the 0x40 bit ([`token::MORE`]) means "has attributes" on an element start, "another
/// attribute follows" on an attribute.
pub mod token {
    pub const END_OF_FRAGMENT: u8 = 0x00;
    pub const OPEN_START_ELEMENT: u8 = 0x01;
    pub const CLOSE_START_ELEMENT: u8 = 0x02;
    pub const CLOSE_EMPTY_ELEMENT: u8 = 0x03;
    pub const END_ELEMENT: u8 = 0x04;
    pub const VALUE: u8 = 0x05;
    pub const ATTRIBUTE: u8 = 0x06;
    pub const TEMPLATE_INSTANCE: u8 = 0x0c;
    pub const NORMAL_SUBSTITUTION: u8 = 0x0d;
    pub const OPTIONAL_SUBSTITUTION: u8 = 0x0e;
    pub const FRAGMENT_HEADER: u8 = 0x0f;
    pub const MORE: u8 = 0x40;
}

/// Value types.
pub mod value_type {
    pub const NULL: u8 = 0x00;
    pub const STRING: u8 = 0x01;
    pub const INT8: u8 = 0x03;
    pub const UINT8: u8 = 0x04;
    pub const INT16: u8 = 0x05;
    pub const UINT16: u8 = 0x06;
    pub const INT32: u8 = 0x07;
    pub const UINT32: u8 = 0x08;
    pub const INT64: u8 = 0x09;
    pub const UINT64: u8 = 0x0a;
    pub const FILETIME: u8 = 0x11;
    pub const HEX_INT64: u8 = 0x15;
    pub const BINXML: u8 = 0x21;
    /// The array flag: an array of the type in the low bits.
    pub const ARRAY: u8 = 0x80;
    pub const STRING_ARRAY: u8 = 0x81;
}
