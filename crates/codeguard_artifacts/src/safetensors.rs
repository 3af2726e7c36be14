//! Sanity checks of a safetensors header: an 8-byte little-endian length, a JSON object of
//! that length inside the file, and tensors whose byte ranges lie in the data that follows
//! and match their dtype and shape. safetensors carries no code; a header that lies about
//! its data is what parsers have been attacked with, and what a renamed pickle looks like.

use std::io::{self, Read};

use serde_json::Value;

use crate::{Input, Inspection, unreadable};

/// The safetensors library refuses headers above 100 MB.
const MAX_HEADER: u64 = 100_000_000;

/// Bytes per element of each safetensors dtype.
fn dtype_bits(dtype: &str) -> Option<u64> {
    Some(match dtype {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" => 8,
        "F4" | "F6_E2M3" | "F6_E3M2" => return None,
        "I16" | "U16" | "F16" | "BF16" => 16,
        "I32" | "U32" | "F32" | "C32" => 32,
        "I64" | "U64" | "F64" | "C64" => 64,
        _ => return None,
    })
}

pub(crate) fn check<R: Read>(file: &mut R, size: u64, out: &mut Inspection) -> io::Result<()> {
    let mut problem = |offset: u64, message: String| {
        out.findings.push(unreadable(None, offset, message));
    };
    if size < 8 {
        problem(
            0,
            format!("a safetensors file of {size} bytes has no header"),
        );
        return Ok(());
    }
    let mut input = Input::new(file);
    let n = input.uint::<8>()?;
    if n & 0xff == 0x80 || n & 0xffff_ffff == 0x0403_4b50 {
        let what = if n & 0xff == 0x80 {
            "a pickle"
        } else {
            "a zip archive (a PyTorch checkpoint?)"
        };
        problem(
            0,
            format!("{what} named `.safetensors`: not a safetensors file"),
        );
        return Ok(());
    }
    if n > MAX_HEADER || n > size - 8 {
        problem(
            0,
            format!(
                "the header length ({n} bytes) runs past the end of the file ({size} bytes) or over the 100 MB limit: not a safetensors file"
            ),
        );
        return Ok(());
    }
    let Some(header) = input.bytes_up_to(n, MAX_HEADER as usize)? else {
        return Ok(());
    };
    let data_len = size - 8 - n;
    let json: Value = match serde_json::from_slice(&header) {
        Ok(v) => v,
        Err(e) => {
            problem(8, format!("the header is not JSON: {e}"));
            return Ok(());
        }
    };
    let Some(tensors) = json.as_object() else {
        problem(8, "the header is not a JSON object".to_string());
        return Ok(());
    };
    for (name, info) in tensors {
        if name == "__metadata__" {
            let ok = info
                .as_object()
                .is_some_and(|m| m.values().all(Value::is_string));
            if !ok {
                problem(
                    8,
                    "`__metadata__` is not a map of strings to strings".into(),
                );
            }
            continue;
        }
        let dtype = info.get("dtype").and_then(Value::as_str);
        let shape: Option<Vec<u64>> = info
            .get("shape")
            .and_then(Value::as_array)
            .and_then(|s| s.iter().map(Value::as_u64).collect());
        let offsets: Option<Vec<u64>> = info
            .get("data_offsets")
            .and_then(Value::as_array)
            .and_then(|s| s.iter().map(Value::as_u64).collect());
        let (Some(dtype), Some(shape), Some(offsets)) = (dtype, shape, offsets) else {
            problem(
                8,
                format!("tensor `{name}` lacks a string `dtype`, a `shape` or `data_offsets`"),
            );
            continue;
        };
        let [begin, end] = offsets[..] else {
            problem(
                8,
                format!("tensor `{name}`: `data_offsets` is not [begin, end]"),
            );
            continue;
        };
        if begin > end || end > data_len {
            problem(
                8,
                format!(
                    "tensor `{name}`: bytes {begin}..{end} lie outside the {data_len} bytes of data"
                ),
            );
            continue;
        }
        let elements = shape.iter().try_fold(1u64, |acc, d| acc.checked_mul(*d));
        if let (Some(bits), Some(elements)) = (dtype_bits(dtype), elements)
            && elements.checked_mul(bits).map(|b| b.div_ceil(8)) != Some(end - begin)
        {
            problem(
                8,
                format!(
                    "tensor `{name}`: {dtype} of shape {shape:?} needs {} bytes, its range holds {}",
                    elements.saturating_mul(bits) / 8,
                    end - begin
                ),
            );
        }
    }
    Ok(())
}
