import { NextRequest, NextResponse } from "next/server";

export async function GET(request: NextRequest) {
  const target = request.nextUrl.searchParams.get("next") ?? "/";
  // ruleid: CG-CORE023
  return NextResponse.redirect(target);
}

export async function POST(request: NextRequest) {
  const body = await request.json();
  // ok: CG-CORE023
  return NextResponse.redirect(new URL(`/thanks/${body.id}`, request.url));
}
