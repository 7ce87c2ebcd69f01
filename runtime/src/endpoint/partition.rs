//! The partition data behind `aws.partition`: which partition a region belongs to and
//! that partition's DNS suffixes and capabilities.

use std::collections::BTreeMap;

use regex_lite::Regex;
use serde_json::Value as Json;

use super::EndpointError;
use super::value::Value;

/// The partition used when no other one claims a region.
const DEFAULT_PARTITION: &str = "aws";

/// Parsed `partitions.json`.
#[derive(Debug)]
pub struct Partitions {
    list: Vec<Partition>,
}

#[derive(Debug)]
struct Partition {
    id: String,
    region_regex: Regex,
    /// Explicitly listed regions with their output overrides.
    regions: BTreeMap<String, BTreeMap<String, Value>>,
    outputs: BTreeMap<String, Value>,
}

impl Partitions {
    /// Parses the `partitions.json` document.
    pub fn parse(json: &str) -> Result<Self, EndpointError> {
        let doc: Json = serde_json::from_str(json)
            .map_err(|e| EndpointError::invalid(format!("partitions JSON: {e}")))?;
        let list = doc
            .get("partitions")
            .and_then(Json::as_array)
            .ok_or_else(|| EndpointError::invalid("partitions JSON has no `partitions` array"))?
            .iter()
            .map(parse_partition)
            .collect::<Result<_, _>>()?;
        Ok(Self { list })
    }

    /// The outputs of the partition `region` belongs to: an explicitly listed region
    /// first, then a region-regex match, then the `aws` partition.
    pub fn resolve(&self, region: &str) -> Option<Value> {
        if let Some((p, overrides)) = self
            .list
            .iter()
            .find_map(|p| Some((p, p.regions.get(region)?)))
        {
            return Some(p.outputs_with(overrides));
        }
        let partition = self
            .list
            .iter()
            .find(|p| p.region_regex.is_match(region))
            .or_else(|| self.list.iter().find(|p| p.id == DEFAULT_PARTITION))?;
        Some(partition.outputs_with(&BTreeMap::new()))
    }
}

impl Partition {
    fn outputs_with(&self, overrides: &BTreeMap<String, Value>) -> Value {
        let mut outputs = self.outputs.clone();
        outputs.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        outputs
            .entry("name".to_owned())
            .or_insert_with(|| Value::String(self.id.clone()));
        Value::Object(outputs)
    }
}

fn parse_partition(json: &Json) -> Result<Partition, EndpointError> {
    let field = |name: &str| {
        json.get(name)
            .ok_or_else(|| EndpointError::invalid(format!("partition without `{name}`")))
    };
    let id = field("id")?
        .as_str()
        .ok_or_else(|| EndpointError::invalid("partition id is not a string"))?;
    let regex = field("regionRegex")?
        .as_str()
        .ok_or_else(|| EndpointError::invalid("regionRegex is not a string"))?;
    let region_regex = Regex::new(regex)
        .map_err(|e| EndpointError::invalid(format!("partition {id} regionRegex: {e}")))?;
    Ok(Partition {
        id: id.to_owned(),
        region_regex,
        regions: field("regions")?
            .as_object()
            .map(|regions| {
                regions
                    .iter()
                    .map(|(name, o)| (name.clone(), region_overrides(o)))
                    .collect()
            })
            .unwrap_or_default(),
        outputs: object_values(field("outputs")?),
    })
}

/// A region entry's output overrides (its `description` is documentation only).
fn region_overrides(json: &Json) -> BTreeMap<String, Value> {
    let mut overrides = object_values(json);
    overrides.remove("description");
    overrides
}

fn object_values(json: &Json) -> BTreeMap<String, Value> {
    match Value::from_json(json) {
        Some(Value::Object(map)) => map,
        _ => BTreeMap::new(),
    }
}
