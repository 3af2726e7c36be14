use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};

fn claims(token: &str, key: &DecodingKey) {
    let mut validation = Validation::new(Algorithm::HS256);
    // ruleid: CG-CORE027
    validation.insecure_disable_signature_validation();
    // ok: CG-CORE027
    validation.validate_exp = true;
    // ok: CG-CORE027
    let data = decode::<Claims>(token, key, &Validation::new(Algorithm::RS256));
}
