async fn purge(pool: &PgPool, conn: &rusqlite::Connection, uid: &str) -> anyhow::Result<()> {
    // ruleid: CG-CORE006
    sqlx::query(&format!("DELETE FROM sessions WHERE user_id = '{uid}'")).execute(pool).await?;
    let sql = format!("SELECT * FROM users WHERE id = {}", uid);
    // ruleid: CG-CORE006
    conn.execute(&sql, [])?;

    // ok: CG-CORE006
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(uid).execute(pool).await?;
    // ok: CG-CORE006
    conn.execute("DELETE FROM t WHERE id = ?1", [uid])?;
    // ok: CG-CORE006
    let msg = format!("deleted {uid}");
    Ok(())
}

mod drivers {
    use diesel::sql_query;
    use sea_orm::{DbBackend, Statement};

    async fn search(pool: &sqlx::PgPool, pg: &tokio_postgres::Client, conn: &rusqlite::Connection, name: &str, order: &str) {
        // ruleid: CG-CORE006
        sqlx::query_as::<_, User>(&format!("SELECT * FROM users WHERE name = '{name}'")).fetch_all(pool).await;
        // ruleid: CG-CORE006
        sqlx::query_scalar(&("SELECT count(*) FROM users WHERE name = '".to_owned() + name + "'")).fetch_one(pool).await;
        // ruleid: CG-CORE006
        pg.query(&format!("SELECT * FROM users ORDER BY {order}"), &[]).await;
        // ruleid: CG-CORE006
        pg.batch_execute(&format!("DROP TABLE {name}")).await;
        // ruleid: CG-CORE006
        sql_query(format!("SELECT * FROM users WHERE name = '{name}'")).load::<User>(&mut c);
        // ruleid: CG-CORE006
        let stmt = Statement::from_string(DbBackend::Postgres, format!("SELECT * FROM cake WHERE name = '{name}'"));

        let mut sql = String::from("SELECT * FROM users WHERE name = '");
        sql.push_str(name);
        sql.push_str("'");
        // ruleid: CG-CORE006
        conn.prepare(&sql);
        let mut update = "UPDATE users SET seen = 1 WHERE name = '".to_string();
        update += name;
        // ruleid: CG-CORE006
        conn.execute(&update, []);
        let by_name = "SELECT id FROM users WHERE name = ".to_string() + name;
        // ruleid: CG-CORE006
        conn.query_row(&by_name, [], |r| r.get(0));

        // Only constants appended: the values are bound.
        let mut fixed = String::from("SELECT * FROM users WHERE name = $1");
        fixed.push_str(" ORDER BY id");
        fixed += " LIMIT 10";
        // ok: CG-CORE006
        pg.query(&fixed, &[&name]).await;
        // ok: CG-CORE006
        let stmt = Statement::from_sql_and_values(DbBackend::Postgres, "SELECT * FROM cake WHERE name = $1", [name.into()]);
        // ok: CG-CORE006
        sqlx::query_as::<_, User>("SELECT * FROM users WHERE name = $1").bind(name).fetch_all(pool).await;
        // A query string of a URL is not SQL.
        // ok: CG-CORE006
        http.query(&format!("name={name}&sort=updated")).send().await;
        let mut log = String::from("deleted user ");
        log.push_str(name);
        // ok: CG-CORE006
        conn.execute("DELETE FROM users WHERE name = ?1", [&log]);
    }
}

mod query_builder {
    use sqlx::{Postgres, QueryBuilder};

    async fn find(pool: &sqlx::PgPool, name: &str, limit: i64) {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new("SELECT * FROM users WHERE ");
        // ruleid: CG-CORE006
        qb.push(format!("name = '{name}'"));
        // ok: CG-CORE006
        qb.push(" AND active = true LIMIT ");
        // ok: CG-CORE006
        qb.push_bind(limit);
        qb.build().fetch_all(pool).await;
    }
}
